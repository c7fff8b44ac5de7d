import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOG_APP, writeApp } from './fixtures';
import { runCli } from './run-cli';

describe('flagon routes', () => {
  let work: string;
  let entry: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'flagon-routes-'));
    entry = writeApp(join(work, 'src', 'app.ts'), BLOG_APP);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // Guards are listed in the order they run (decorators apply bottom-up, so @Roles, below, comes first).
  it('prints method, path, endpoint, module and guards of src/app.ts', async () => {
    const result = await runCli(['routes'], { cwd: work });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Method\s+Path\s+Endpoint\s+Module\s+Guards$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^GET\s+\/blog\/posts\/\s+blog\.PostController\.list\s+blog$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^POST\s+\/blog\/posts\/\s+blog\.PostController\.create\s+blog\s+LoginRequired$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^GET\s+\/blog\/posts\/<int:id>\/admin\s+blog\.PostController\.admin\s+blog\s+Roles\(admin, editor\), ApiKeyGuard$/,
      ),
    );
  }, 60_000);

  it('prints JSON sorted by endpoint', async () => {
    const result = await runCli(['routes', entry, '--json', '--sort', 'endpoint']);
    expect(result.code).toBe(0);
    const routes = JSON.parse(result.stdout) as { endpoint: string; guards: string[] }[];
    const endpoints = routes.map((route) => route.endpoint);
    expect(endpoints).toEqual([...endpoints].sort());
    expect(routes.find((route) => route.endpoint === 'blog.PostController.create')?.guards).toEqual(
      ['LoginRequired'],
    );
  }, 60_000);

  it('prints only JSON on stdout: the logs of creating the app go to stderr', async () => {
    // Debug mode without SECRET_KEY: createApp logs a warning about the ephemeral key.
    const noisy = writeApp(
      join(work, 'noisy.ts'),
      `const { createApp, Get, Module, Route } = flagon;
@Route('/')
class PingController {
  @Get('/ping')
  ping(): string { return 'pong'; }
}
@Module({ controllers: [PingController] })
class PingModule {}
export const app = createApp({ modules: [PingModule], config: { DEBUG: true } });`,
    );
    const result = await runCli(['routes', noisy, '--json'], { env: { FLAGON_SECRET_KEY: '' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/ping',
        endpoint: 'ping.PingController.ping',
      }),
    ]);
    expect(result.stderr).toContain('SECRET_KEY is not set');
  }, 60_000);

  it('exits 1 with the code, message and place, not a stack, when the app fails to load', async () => {
    const broken = writeApp(
      join(work, 'src', 'broken.ts'),
      `export const app = flagon.createApp({ modules: [], config: { MAX_CONTENT_LENGTH: -1 } });`,
    );
    const result = await runCli(['routes', broken], { cwd: work, env: { DEBUG: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot load the app from src/broken.ts:');
    expect(result.stderr).toMatch(/^FLAGON_CONFIG_INVALID: MAX_CONTENT_LENGTH must be/m);
    expect(result.stderr).toMatch(/^ {2}at src\/broken\.ts:\d+:\d+$/m);
    expect(result.stderr).toContain('--verbose');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    const verbose = await runCli(['routes', broken, '--verbose'], { cwd: work });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^ {4}at /m);
  }, 60_000);

  it('writes the urlFor declaration with --types --out', async () => {
    const result = await runCli(['routes', '--types', '--out', 'src/endpoints.d.ts'], {
      cwd: work,
    });
    expect(result.code).toBe(0);
    const declaration = readFileSync(join(work, 'src', 'endpoints.d.ts'), 'utf8');
    expect(declaration).toContain("declare module 'flagon' {");
    expect(declaration).toContain('"blog.PostController.admin": { id: number };');
    expect(declaration).toContain('"blog.PostController.list": object;');
  }, 60_000);

  it('exits 2 on an unknown sort key', async () => {
    const result = await runCli(['routes', entry, '--sort', 'size']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sort must be one of');
  }, 60_000);

  it('exits 1 naming the convention when the entry exports no app', async () => {
    const bare = writeApp(join(work, 'bare.ts'), 'export const nothing = flagon.HTTP_METHODS;');
    const result = await runCli(['routes', bare]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must export `app`');
  }, 60_000);

  it('exits 1 when there is no entry', async () => {
    const result = await runCli(['routes'], { cwd: tmpdir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No app entry found');
  }, 60_000);
});
