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
