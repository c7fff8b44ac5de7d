import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeApp } from './fixtures';
import { runCli } from './run-cli';

const APP = `
const { createApp, Get, Module, Route, OpenApiModule } = flagon;

@Route('/posts')
class PostController {
  @Get('/')
  list(): string[] { return []; }
}

@Module({ controllers: [PostController] })
class BlogModule {}

export const app = createApp({
  modules: [BlogModule, OpenApiModule.configure({ title: 'Blog API', version: '2.0.0' })],
  config: { TESTING: true },
  env: false,
});
`;

describe('flagon openapi', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-openapi-'));
    writeApp(join(work, 'src', 'app.ts'), APP);
    writeApp(
      join(work, 'bare.ts'),
      `export const app = flagon.createApp({ modules: [], config: { TESTING: true }, env: false });`,
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the document without starting a server', async () => {
    const result = await runCli(['openapi', '--out', 'openapi.json'], { cwd: work });
    expect(result.code).toBe(0);
    const document = JSON.parse(readFileSync(join(work, 'openapi.json'), 'utf8')) as {
      openapi: string;
      info: object;
      paths: object;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/posts/']);
    expect(document.info).toEqual({ title: 'Blog API', version: '2.0.0' });
  }, 60_000);

  it('prints the document, and exits 1 for an app without OpenApiModule', async () => {
    expect(JSON.parse((await runCli(['openapi'], { cwd: work })).stdout)).toMatchObject({
      openapi: '3.1.0',
    });
    const bare = await runCli(['openapi', 'bare.ts'], { cwd: work });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('OpenApiModule.configure');
  }, 60_000);
});
