import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  npmInstall,
  packFlagon,
  REPO,
  run,
  tempProject,
  typeCheck,
  writeFiles,
  type PackedFlagon,
} from './packed-flagon';

// A CommonJS and an ESM consumer of the packed tarball, installed with npm in a project of their
// own: each is type-checked (moduleResolution node16, the package's own declarations checked too),
// compiled and run, through 'flagon' and 'flagon/testing'. The consumers use the test client, so
// they install its optional peers, as a user would; @types/node for tsc.
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const peers = Object.entries(manifest.peerDependencies).map(([name, range]) => `${name}@${range}`);
const typesNode = `@types/node@${manifest.devDependencies['@types/node'] ?? '^20'}`;

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

const cjsMain = `import { createApp, Get, Module, Param, Route, TestClient as RootClient, type FlagonApp } from 'flagon';
import { TestClient, type TestResponse } from 'flagon/testing';
${controller}
async function main(): Promise<void> {
  const app: FlagonApp = createApp({ modules: [AppModule], config: { TESTING: true } });
  const tested: TestResponse = await new TestClient(app).get('/hello/7');
  const { port } = await app.listen({ port: 0 });
  const res = await fetch(\`http://127.0.0.1:\${port}/hello/7\`);
  const body: unknown = await res.json();
  await app.close();
  const testing = { status: tested.status, body: tested.json(), sameClass: TestClient === RootClient };
  console.log(JSON.stringify({ status: res.status, body, testing }));
}

void main();
`;

const esmMain = `import { createRequire } from 'node:module';
import { createApp, Get, Module, Param, Route, type FlagonApp } from 'flagon';
import { TestClient, type TestResponse } from 'flagon/testing';
${controller}
const app: FlagonApp = createApp({ modules: [AppModule], config: { TESTING: true } });
const tested: TestResponse = await new TestClient(app).get('/hello/7');
const testing = { status: tested.status, body: tested.json() };
const { port } = await app.listen({ port: 0 });
const res = await fetch(\`http://127.0.0.1:\${port}/hello/7\`);
const body: unknown = await res.json();
await app.close();
// One runtime copy: require('flagon') from ESM gives the very same function objects.
const require = createRequire(import.meta.url);
const required = require('flagon') as { createApp: unknown };
const requiredTesting = require('flagon/testing') as { TestClient: unknown };
const sameCopy = required.createApp === createApp && requiredTesting.TestClient === TestClient;
console.log(JSON.stringify({ status: res.status, body, testing, sameCopy }));
`;

// What moduleResolution "node" (node10, which ignores `exports`; the scaffold's setting) sees:
// typesVersions maps the subpath.
const node10Tsconfig = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    esModuleInterop: true,
    strict: true,
    types: ['node'],
    noEmit: true,
    skipLibCheck: false,
  },
  files: ['node10.ts'],
});
const node10Main = `import { createApp, type FlagonApp } from 'flagon';
import { TestClient } from 'flagon/testing';
export const client: TestClient = new TestClient(createApp({ modules: [] }) satisfies FlagonApp);
`;

describe('the packed package', () => {
  let packed: PackedFlagon;
  let work: string;

  beforeAll(() => {
    packed = packFlagon();
    work = tempProject('flagon-dual-');
    npmInstall(work, [packed.tarball, ...peers, typesNode]);
  }, 300_000);

  afterAll(() => {
    if (work && !process.env['KEEP_TEST_ARTIFACTS']) rmSync(work, { recursive: true, force: true });
  });

  it('ships both entry points and flagon/testing with their declarations', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'bin/flagon.js',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/esm/index.mjs',
        'dist/esm/index.d.mts',
        'dist/cjs/testing/index.js',
        'dist/cjs/testing/index.d.ts',
        'dist/esm/testing.mjs',
        'dist/esm/testing.d.mts',
        'templates/errors/404.hbs',
        'templates/scaffold/package.json',
      ]),
    );
  });

  it('holds no sources, tests, benchmarks or sample app', () => {
    const topLevel = new Set(packed.files.map((path) => path.split('/')[0]));
    const distFolders = new Set(
      packed.files.filter((path) => path.startsWith('dist/')).map((path) => path.split('/')[1]),
    );
    expect([...distFolders].sort()).toEqual(['cjs', 'esm']);
    for (const folder of ['src', 'test', 'bench', 'sample-app', 'docs', 'scripts', '.ci'])
      expect(topLevel).not.toContain(folder);
    expect(packed.files.filter((path) => /\.test\.[cm]?[jt]s$/.test(path))).toEqual([
      // The scaffold's own test, copied into projects by `flagon new`.
      'templates/scaffold/test/notes.test.ts',
    ]);
  });

  it('type-checks and serves a route from a CommonJS project, through flagon/testing too', () => {
    const dir = join(work, 'cjs-app');
    writeFiles(dir, {
      'package.json': '{ "type": "commonjs", "private": true }',
      'tsconfig.json': consumerTsconfig,
      'main.ts': cjsMain,
    });
    typeCheck(dir);
    expect(readFileSync(join(dir, 'main.js'), 'utf8')).toContain('require("flagon/testing")');
    const output = JSON.parse(run(process.execPath, ['main.js'], dir)) as unknown;
    expect(output).toEqual({
      status: 200,
      body: { hello: 'world', id: 7 },
      testing: { status: 200, body: { hello: 'world', id: 7 }, sameClass: true },
    });
  }, 60_000);

  it('type-checks and serves a route from an ESM project, sharing the CommonJS runtime copy', () => {
    const dir = join(work, 'esm-app');
    writeFiles(dir, {
      'package.json': '{ "type": "module", "private": true }',
      'tsconfig.json': consumerTsconfig,
      'main.ts': esmMain,
    });
    typeCheck(dir);
    expect(readFileSync(join(dir, 'main.js'), 'utf8')).toContain("from 'flagon/testing'");
    const output = JSON.parse(run(process.execPath, ['main.js'], dir)) as unknown;
    expect(output).toEqual({
      status: 200,
      body: { hello: 'world', id: 7 },
      testing: { status: 200, body: { hello: 'world', id: 7 } },
      sameCopy: true,
    });
  }, 60_000);

  it('type-checks flagon/testing under moduleResolution node (no exports support)', () => {
    const dir = join(work, 'node10-app');
    writeFiles(dir, { 'tsconfig.json': node10Tsconfig, 'node10.ts': node10Main });
    expect(typeCheck(dir)).toBe('');
  }, 60_000);
});
