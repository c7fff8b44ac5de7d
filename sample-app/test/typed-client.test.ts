import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { blogFixture, type Blog } from './support';

jest.setTimeout(180_000);

const REPO = join(__dirname, '..', '..');

/** A client of the blog's API on openapi-fetch, typed by the generated `paths`. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './api';

export async function useApi(baseUrl: string, cookie: string, csrfToken: string) {
  const api = createClient<paths>({ baseUrl, headers: { cookie } });
  const list = await api.GET('/api/posts');
  const titles: string[] = (list.data?.posts ?? []).map((post) => post.title);
  const created = await api.POST('/api/posts', {
    body: { title: 'typed', body: 'from openapi-fetch' },
    params: { header: { 'X-CSRF-Token': csrfToken } },
  });
  const id: number | undefined = created.data?.id;
  const shown = await api.GET('/api/posts/{id}', { params: { path: { id: id ?? 0 } } });
  const invalid = await api.POST('/api/posts', {
    body: { title: '', body: '' },
    params: { header: { 'X-CSRF-Token': csrfToken } },
  });
  return {
    titles,
    createdStatus: created.response.status,
    shown: shown.data?.title,
    invalidStatus: invalid.response.status,
  };
}
`;

/** Calls the generated types must refuse, one a line. */
const WRONG = `import createClient from 'openapi-fetch';
import type { paths } from './api';

const api = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
void api.GET('/api/post');
void api.GET('/api/posts/{id}', { params: { path: { id: 'one' } } });
void api.POST('/api/posts', { body: { title: 1, body: '' } });
void api.GET('/api/posts').then(({ data }) => data?.posts[0]?.password_hash);
`;

function errorLines(program: ts.Program, file: string): number[] {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  return ts
    .getPreEmitDiagnostics(program, source)
    .map((diagnostic) => source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1);
}

/** The session cookies a response sets, as a Cookie header, over the ones already held. */
function keepCookies(jar: Map<string, string>, response: globalThis.Response): string {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function pageToken(url: string, jar: Map<string, string>): Promise<string> {
  const page = await fetch(url, { headers: { cookie: keepCookies(jar, new Response()) } });
  keepCookies(jar, page);
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1];
  if (token === undefined) throw new Error(`no csrf-token meta tag on ${url}`);
  return token;
}

/** Logs in as flaskr's `test` user over HTTP; returns the Cookie header and a CSRF token. */
async function logInOverHttp(base: string): Promise<{ cookie: string; token: string }> {
  const jar = new Map<string, string>();
  const loginToken = await pageToken(`${base}/auth/login`, jar);
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: keepCookies(jar, new Response()),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ username: 'test', password: 'test', csrf_token: loginToken }),
  });
  expect(login.status).toBe(302);
  keepCookies(jar, login);
  const token = await pageToken(`${base}/`, jar);
  return { cookie: keepCookies(jar, new Response()), token };
}

describe('a typed client of the sample API (openapi-typescript + openapi-fetch)', () => {
  const createTestBlog = blogFixture('sqlite');
  let blog: Blog;
  let folder: string;
  let program: ts.Program;

  beforeAll(async () => {
    blog = await createTestBlog();
    folder = mkdtempSync(join(tmpdir(), 'flaskr-client-'));
    // The client imports openapi-fetch as an app would: from a node_modules beside it.
    symlinkSync(join(REPO, 'node_modules'), join(folder, 'node_modules'), 'dir');
    // What docs/api.md tells users to run: openapi-typescript's CLI on the app's document.
    writeFileSync(join(folder, 'openapi.json'), JSON.stringify(blog.app.openapi()));
    await promisify(execFile)(
      process.execPath,
      [join(REPO, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.json', '-o', 'api.d.ts'],
      { cwd: folder },
    );
    writeFileSync(join(folder, 'client.ts'), CLIENT);
    writeFileSync(join(folder, 'wrong.ts'), WRONG);
    program = ts.createProgram({
      rootNames: [join(folder, 'client.ts'), join(folder, 'wrong.ts')],
      options: {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
        skipLibCheck: true,
      },
    });
  });

  afterAll(async () => {
    await blog.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('type-checks a client written against the generated types', () => {
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(join(folder, 'client.ts')))
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(errors).toEqual([]);
  });

  it('refuses unknown paths, mistyped parameters and bodies, and undeclared response fields', () => {
    expect(errorLines(program, join(folder, 'wrong.ts'))).toEqual([5, 6, 7, 8]);
  });

  it('calls the running sample app through that client', async () => {
    const { port } = await blog.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const { cookie, token } = await logInOverHttp(base);
    const { outputText } = ts.transpileModule(CLIENT, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const clientFile = join(folder, 'client.js');
    writeFileSync(clientFile, outputText);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the client compiled just above
    const { useApi } = require(clientFile) as {
      useApi: (base: string, cookie: string, token: string) => Promise<Record<string, unknown>>;
    };
    await expect(useApi(base, cookie, token)).resolves.toEqual({
      titles: ['test title'],
      createdStatus: 201,
      shown: 'typed',
      invalidStatus: 400,
    });
  });
});
