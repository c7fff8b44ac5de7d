import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AfterRequest,
  createApp,
  Get,
  Module,
  Param,
  Response,
  Route,
  sendFile,
  sendFromDirectory,
  type FlagonApp,
} from '../../src';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Real HTTP with the path sent byte for byte (light-my-request would normalise some of these). */
function rawGet(
  app: FlagonApp,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  const port = app.address?.port;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

@Route('/')
class FilesController {
  @Get('/report')
  report(): unknown {
    return sendFile('reports/q3.txt', { download: true, filename: 'Q3 résumé €.txt' });
  }

  @Get('/inline')
  inline(): unknown {
    return sendFile('reports/q3.txt', { maxAge: 30 });
  }

  @Get('/missing-file')
  missing(): unknown {
    return sendFile('reports/nope.txt');
  }

  @Get('/uploads/<path:name>')
  upload(@Param('name') name: string): unknown {
    return sendFromDirectory('uploads', name);
  }
}

@Module({ controllers: [FilesController], static: 'blog-static' })
class BlogModule {}

@Module({ prefix: '/admin', static: 'admin-static' })
class AdminModule {
  @AfterRequest()
  tag(response: Response): void {
    response.setHeader('x-module', 'admin').setCookie('seen', '1');
  }
}

let root: string;
let app: FlagonApp;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flagon-static-'));
  writeTree(root, {
    'secret.txt': 'top secret',
    'outside/secret.txt': 'outside secret',
    'static/hello.txt': 'hello static',
    'static/sub/ok.txt': 'nested ok',
    'static/sub/.env': 'KEY=1',
    'static/.hidden': 'hidden content',
    'static/caf\u00e9.txt': 'unicode name',
    'static/%2e%2e': 'literal percent name',
    'blog-static/logo.svg': '<svg/>',
    'admin-static/admin.css': 'b{}',
    'reports/q3.txt': '0123456789',
    'uploads/a.txt': 'upload a',
  });
  symlinkSync(join(root, 'secret.txt'), join(root, 'static/link-out.txt'));
  symlinkSync(join(root, 'outside'), join(root, 'static/link-dir'));
  symlinkSync(join(root, 'static/hello.txt'), join(root, 'static/link-in.txt'));
  app = createApp({
    root,
    modules: [BlogModule, AdminModule],
    config: { TESTING: true },
    env: false,
  });
  await app.listen({ port: 0 });
});

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static folders', () => {
  it('serves the app folder at /static with type, length, ETag and Last-Modified and no max-age by default', async () => {
    const res = await rawGet(app, '/static/hello.txt');
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello static');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-length']).toBe('12');
    expect(res.headers['etag']).toBeDefined();
    expect(res.headers['last-modified']).toBeDefined();
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.headers['accept-ranges']).toBe('bytes');
  });

  it('serves nested, percent-encoded and in-folder symlinked names', async () => {
    expect((await rawGet(app, '/static/sub/ok.txt')).body).toBe('nested ok');
    expect((await rawGet(app, '/static/caf%C3%A9.txt')).body).toBe('unicode name');
    expect((await rawGet(app, '/static/link-in.txt')).body).toBe('hello static');
    // %252e%252e decodes once, to the literal name "%2e%2e": a file, not a parent folder.
    expect((await rawGet(app, '/static/%252e%252e')).body).toBe('literal percent name');
  });

  it.each([
    '/static/../secret.txt',
    '/static/%2e%2e/secret.txt',
    '/static/%2E%2E/secret.txt',
    '/static/.%2e/secret.txt',
    '/static/%252e%252e/secret.txt',
    '/static/%252e%252e%252fsecret.txt',
    '/static/..%2fsecret.txt',
    '/static/..%2Fsecret.txt',
    '/static/sub/..%2f..%2fsecret.txt',
    '/static/..%5csecret.txt',
    '/static/..\\secret.txt',
    '/static/sub\\..\\..\\secret.txt',
    '/static/hello.txt%00',
    '/static/hello.txt%00.png',
    '/static/%2fetc%2fpasswd',
    '/static//etc/passwd',
    '/static/C:%5cWindows%5cwin.ini',
    '/static/link-out.txt',
    '/static/link-dir/secret.txt',
    '/static/.hidden',
    '/static/%2ehidden',
    '/static/sub/.env',
    '/static/sub',
    '/static/sub/',
    '/static/./hello.txt',
    '/static/sub/../hello.txt',
    '/uploads/..%2fsecret.txt',
    '/uploads/%2e%2e/secret.txt',
  ])('gives 404 for %s', async (path) => {
    const res = await rawGet(app, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toMatch(/top secret|outside secret|KEY=1|hidden content/);
  });

  it('answers If-None-Match and If-Modified-Since with 304', async () => {
    const first = await rawGet(app, '/static/hello.txt');
    const byEtag = await rawGet(app, '/static/hello.txt', {
      'if-none-match': String(first.headers['etag']),
    });
    expect([byEtag.status, byEtag.body]).toEqual([304, '']);
    const byDate = await rawGet(app, '/static/hello.txt', {
      'if-modified-since': String(first.headers['last-modified']),
    });
    expect(byDate.status).toBe(304);
    const stale = await rawGet(app, '/static/hello.txt', { 'if-none-match': '"other"' });
    expect(stale.status).toBe(200);
  });

  it('answers Range with 206 and an unsatisfiable range with 416', async () => {
    const partial = await rawGet(app, '/static/hello.txt', { range: 'bytes=0-4' });
    expect([partial.status, partial.body, partial.headers['content-range']]).toEqual([
      206,
      'hello',
      'bytes 0-4/12',
    ]);
    const suffix = await rawGet(app, '/static/hello.txt', { range: 'bytes=-6' });
    expect([suffix.status, suffix.body]).toEqual([206, 'static']);
    const beyond = await rawGet(app, '/static/hello.txt', { range: 'bytes=100-200' });
    expect([beyond.status, beyond.headers['content-range'], beyond.body]).toEqual([
      416,
      'bytes */12',
      'Range Not Satisfiable',
    ]);
    const precondition = await rawGet(app, '/static/hello.txt', { 'if-match': '"not-the-etag"' });
    expect(precondition.status).toBe(412);
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await rawGet(app, '/static/hello.txt', {}, 'HEAD');
    expect([res.status, res.body, res.headers['content-length']]).toEqual([200, '', '12']);
  });

  it("serves each module's folder under its prefix, with endpoints for urlFor", async () => {
    const admin = await rawGet(app, '/admin/static/admin.css');
    // The module's after-request hook runs for its static route, and its headers survive send.
    expect([admin.body, admin.headers['x-module'], admin.headers['set-cookie']]).toEqual([
      'b{}',
      'admin',
      ['seen=1; Path=/'],
    ]);
    const notModified = await rawGet(app, '/admin/static/admin.css', {
      'if-none-match': String(admin.headers['etag']),
    });
    expect([notModified.status, notModified.headers['x-module']]).toEqual([304, 'admin']);
    expect((await rawGet(app, '/static/blog/logo.svg')).body).toBe('<svg/>');
    expect(app.urlFor('static', { filename: 'a b.css' })).toBe('/static/a%20b.css');
    expect(app.urlFor('admin.static', { filename: 'admin.css' })).toBe('/admin/static/admin.css');
    expect(app.urlFor('blog.static', { filename: 'logo.svg' })).toBe('/static/blog/logo.svg');
  });

  it('adds no static route when the app has no static folder', () => {
    const bare = createApp({
      root: join(root, 'reports'),
      modules: [],
      config: { TESTING: true },
      env: false,
    });
    expect(bare.routes()).toEqual([]);
  });

  it('honours STATIC_URL_PATH, STATIC_FOLDER and SEND_FILE_MAX_AGE', async () => {
    const custom = createApp({
      root,
      modules: [],
      config: {
        TESTING: true,
        STATIC_URL_PATH: '/assets',
        STATIC_FOLDER: 'reports',
        SEND_FILE_MAX_AGE: 3600,
      },
      env: false,
    });
    const res = await custom.testClient().get('/assets/q3.txt');
    expect([res.status, res.text, res.headers['cache-control']]).toEqual([
      200,
      '0123456789',
      'public, max-age=3600',
    ]);
    expect((await custom.testClient().get('/static/hello.txt')).status).toBe(404);
  });
});

describe('sendFile and sendFromDirectory', () => {
  it('sends a download with an RFC 6266/5987 filename', async () => {
    const res = await rawGet(app, '/report');
    expect(res.status).toBe(200);
    expect(res.body).toBe('0123456789');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Q3 r?sum? ?.txt"; filename*=UTF-8''Q3%20r%C3%A9sum%C3%A9%20%E2%82%AC.txt`,
    );
  });

  it('takes maxAge per call and gives 404 for a missing file', async () => {
    const res = await rawGet(app, '/inline');
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect((await rawGet(app, '/missing-file')).status).toBe(404);
  });

  it('sends from a directory', async () => {
    expect((await rawGet(app, '/uploads/a.txt')).body).toBe('upload a');
  });

  it('works through the in-process test client too', async () => {
    const res = await app.testClient().get('/static/hello.txt', { headers: { range: 'bytes=6-' } });
    expect([res.status, res.text]).toEqual([206, 'static']);
  });
});
