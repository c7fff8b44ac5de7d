import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Builds and packs Flagon once (into test-artifacts/, inside the repo so the package's own
// dependencies resolve from the repo's node_modules), then type-checks (moduleResolution node16),
// compiles and runs a CommonJS consumer and an ESM consumer against the packed tarball.
const repo = join(__dirname, '..', '..');
const tsc = require.resolve('typescript/bin/tsc');

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 90_000,
  });
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

const consumerTsconfig = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
    outDir: '.',
    skipLibCheck: false,
  },
  files: ['main.ts'],
});

const controller = `
@Route('/')
class HelloController {
  @Get('/hello/<int:id>')
  hello(@Param('id') id: number): { hello: string; id: number } {
    return { hello: 'world', id };
  }
}

@Module({ controllers: [HelloController] })
class AppModule {}
`;

const cjsMain = `import { createApp, Get, Module, Param, Route, type FlagonApp } from 'flagon';
${controller}
async function main(): Promise<void> {
  const app: FlagonApp = createApp({ modules: [AppModule], config: { TESTING: true } });
  const { port } = await app.listen({ port: 0 });
  const res = await fetch(\`http://127.0.0.1:\${port}/hello/7\`);
  const body: unknown = await res.json();
  await app.close();
  console.log(JSON.stringify({ status: res.status, body }));
}

void main();
`;

const esmMain = `import { createRequire } from 'node:module';
import { createApp, Get, Module, Param, Route, type FlagonApp } from 'flagon';
${controller}
const app: FlagonApp = createApp({ modules: [AppModule], config: { TESTING: true } });
const { port } = await app.listen({ port: 0 });
const res = await fetch(\`http://127.0.0.1:\${port}/hello/7\`);
const body: unknown = await res.json();
await app.close();
// One runtime copy: require('flagon') from ESM gives the very same function objects.
const required = createRequire(import.meta.url)('flagon') as { createApp: unknown };
console.log(JSON.stringify({ status: res.status, body, sameCopy: required.createApp === createApp }));
`;

describe('the packed package', () => {
  let work: string;
  let packedFiles: string[];

  beforeAll(() => {
    mkdirSync(join(repo, 'test-artifacts'), { recursive: true });
    work = mkdtempSync(join(repo, 'test-artifacts', 'packaging-'));
    const stage = join(work, 'stage');
    run(
      process.execPath,
      [tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(stage, 'dist', 'cjs')],
      repo,
    );
    run(process.execPath, [join(repo, 'scripts', 'build-esm.mjs'), join(stage, 'dist')], repo);
    writeFileSync(join(stage, 'package.json'), readFileSync(join(repo, 'package.json')));
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', work], stage),
    ) as { filename: string; files: { path: string }[] }[];
    const tarball = packed[0];
    if (!tarball) throw new Error('npm pack produced no tarball');
    packedFiles = tarball.files.map((file) => file.path);
    const installed = join(work, 'node_modules', 'flagon');
    mkdirSync(installed, { recursive: true });
    run(
      'tar',
      ['xzf', join(work, tarball.filename), '-C', installed, '--strip-components=1'],
      work,
    );
  }, 120_000);

  afterAll(() => {
    if (work && !process.env['KEEP_TEST_ARTIFACTS']) rmSync(work, { recursive: true, force: true });
  });

  it('ships both entry points with their declarations and no sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/esm/index.mjs',
        'dist/esm/index.d.mts',
      ]),
    );
    expect(
      packedFiles.filter((path) => path.startsWith('src/') || path.startsWith('test/')),
    ).toEqual([]);
  });

  it('type-checks and serves a route from a CommonJS project', () => {
    const dir = join(work, 'cjs-app');
    writeFiles(dir, {
      'package.json': '{ "type": "commonjs", "private": true }',
      'tsconfig.json': consumerTsconfig,
      'main.ts': cjsMain,
    });
    run(process.execPath, [tsc, '-p', dir], dir);
    expect(readFileSync(join(dir, 'main.js'), 'utf8')).toContain('require("flagon")');
    const output = JSON.parse(run(process.execPath, ['main.js'], dir)) as unknown;
    expect(output).toEqual({ status: 200, body: { hello: 'world', id: 7 } });
  }, 60_000);

  it('type-checks and serves a route from an ESM project, sharing the CommonJS runtime copy', () => {
    const dir = join(work, 'esm-app');
    writeFiles(dir, {
      'package.json': '{ "type": "module", "private": true }',
      'tsconfig.json': consumerTsconfig,
      'main.ts': esmMain,
    });
    run(process.execPath, [tsc, '-p', dir], dir);
    expect(readFileSync(join(dir, 'main.js'), 'utf8')).toContain("from 'flagon'");
    const output = JSON.parse(run(process.execPath, ['main.js'], dir)) as unknown;
    expect(output).toEqual({ status: 200, body: { hello: 'world', id: 7 }, sameCopy: true });
  }, 60_000);
});
