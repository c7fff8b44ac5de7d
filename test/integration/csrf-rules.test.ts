import { createApp, csrfToken, Get, Module, Post, Route, type FlagonApp } from '../../src';

const SECRET = 'r'.repeat(40);
const state = { changes: 0 };

@Route('/')
class PageController {
  @Get('/form')
  form(): string {
    return `<meta name="csrf-token" content="${csrfToken()}">`;
  }

  @Get('/twice')
  twice(): string {
    return csrfToken();
  }

  @Post('/change')
  change(): { changes: number } {
    state.changes++;
    return { changes: state.changes };
  }
}

@Module({ controllers: [PageController] })
class PageModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    modules: [PageModule],
    config: { TESTING: true, SECRET_KEY: SECRET, ...config },
    env: false,
  });
}

const JSON_HEADERS = { accept: 'application/json' };

beforeEach(() => {
  state.changes = 0;
});

describe('CSRF: Fetch Metadata', () => {
  it.each(['cross-site', 'same-site'])(
    'refuses Sec-Fetch-Site: %s even with a valid token',
    async (site) => {
      const res = await makeApp()
        .testClient()
        .post('/change', { form: {}, headers: { ...JSON_HEADERS, 'sec-fetch-site': site } });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'csrf_origin_mismatch' });
      expect(res.json<{ message: string }>().message).toContain('Sec-Fetch-Site');
      expect(state.changes).toBe(0);
    },
  );

  it('refuses a cross-site JSON request that carries no cookie', async () => {
    const res = await makeApp()
      .testClient()
      .post('/change', {
        json: { a: 1 },
        csrf: false,
        headers: { ...JSON_HEADERS, 'sec-fetch-site': 'cross-site' },
      });
    expect(res.status).toBe(400);
    expect(state.changes).toBe(0);
  });

  it('accepts same-site and cross-site requests from a trusted origin', async () => {
    const client = makeApp({
      CSRF_TRUSTED_ORIGINS: ['https://admin.example.com'],
    }).testClient();
    for (const site of ['same-site', 'cross-site']) {
      const res = await client.post('/change', {
        form: {},
        headers: { 'sec-fetch-site': site, origin: 'https://admin.example.com' },
      });
      expect(res.status).toBe(200);
    }
    expect(state.changes).toBe(2);
  });

  it('lets same-origin and user-typed (none) requests on to the token check', async () => {
    const client = makeApp().testClient();
    for (const site of ['same-origin', 'none'])
      expect(
        (await client.post('/change', { form: {}, headers: { 'sec-fetch-site': site } })).status,
      ).toBe(200);
    const missing = await client.post('/change', {
      form: {},
      csrf: false,
      headers: { ...JSON_HEADERS, 'sec-fetch-site': 'same-origin' },
    });
    expect(missing.json()).toMatchObject({ error: 'csrf_token_missing' });
    expect(state.changes).toBe(2);
  });
});

describe('CSRF: requests without cookies', () => {
  it.each(['application/json', 'application/merge-patch+json', 'application/xml'])(
    'needs no token for a %s body when no Cookie header is sent',
    async (type) => {
      const res = await makeApp()
        .testClient()
        .post('/change', { body: '{}', headers: { 'content-type': type }, csrf: false });
      expect(res.status).toBe(200);
      expect(state.changes).toBe(1);
    },
  );

  it.each([
    ['a URL-encoded form', 'application/x-www-form-urlencoded', 'a=1'],
    ['a multipart form', 'multipart/form-data; boundary=x', '--x--\r\n'],
    ['text/plain', 'text/plain;charset=UTF-8', '{"a":1}'],
    ['a body without Content-Type', undefined, '{"a":1}'],
    ['no body', undefined, undefined],
  ] as const)('still needs the token for %s', async (_name, type, body) => {
    const res = await makeApp()
      .testClient()
      .post('/change', {
        ...(body === undefined ? {} : { body }),
        headers: { ...JSON_HEADERS, ...(type === undefined ? {} : { 'content-type': type }) },
        csrf: false,
      });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
    expect(state.changes).toBe(0);
  });

  it('needs the token for a JSON body sent with cookies', async () => {
    const client = makeApp().testClient();
    await client.get('/form');
    const res = await client.post('/change', {
      json: { a: 1 },
      headers: JSON_HEADERS,
      csrf: false,
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
  });

  it('still checks the Origin of a cookieless JSON request', async () => {
    const res = await makeApp()
      .testClient()
      .post('/change', {
        json: {},
        csrf: false,
        headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
      });
    expect(res.json()).toMatchObject({ error: 'csrf_origin_mismatch' });
  });
});

describe('CSRF: masked tokens', () => {
  it('gives every response a different token for the same secret, and accepts each', async () => {
    const client = makeApp().testClient();
    const tokens: string[] = [];
    for (let page = 0; page < 3; page++) {
      await client.get('/form');
      tokens.push(client.csrfToken as string);
    }
    expect(new Set(tokens.map((token) => token.split('.')[0])).size).toBe(3);
    for (const token of tokens)
      expect((await client.post('/change', { headers: { 'x-csrf-token': token } })).status).toBe(
        200,
      );
  });

  it('never puts the secret cookie in the page', async () => {
    const client = makeApp().testClient();
    const page = await client.get('/form');
    const [secretCookie] = await client.cookies.getCookies('http://localhost/');
    expect(secretCookie?.key).toBe('csrf');
    const secret = (secretCookie?.value ?? '').split('.')[0] as string;
    expect(secret.length).toBeGreaterThan(20);
    expect(page.text).not.toContain(secret);
  });

  it('issues one token per request and keeps the cookie across pages', async () => {
    const client = makeApp().testClient();
    const first = await client.get('/twice');
    expect(first.headers['set-cookie']).toMatch(/^csrf=.*HttpOnly/);
    const second = await client.get('/twice');
    expect(second.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a forged secret cookie', async () => {
    const client = makeApp().testClient();
    await client.get('/form');
    const token = client.csrfToken as string;
    await client.cookies.setCookie('csrf=forged.abc.def; Path=/', 'http://localhost/');
    const res = await client.post('/change', {
      headers: { 'x-csrf-token': token, ...JSON_HEADERS },
    });
    expect(res.json()).toMatchObject({ error: 'csrf_token_invalid' });
  });

  it('names the cookie __Host-csrf in production', async () => {
    const app = createApp({
      modules: [PageModule],
      config: { SECRET_KEY: SECRET, LOG_LEVEL: 'silent' },
      env: { NODE_ENV: 'production' },
    });
    const res = await app.testClient().get('/twice', { headers: { 'x-forwarded-proto': 'https' } });
    expect(String(res.headers['set-cookie'])).toMatch(/^__Host-csrf=.*Secure/);
  });
});

describe('CSRF: the test client', () => {
  it('sends a valid token on unsafe requests by itself, even before any page', async () => {
    const client = makeApp().testClient();
    expect((await client.post('/change', { form: { title: 'x' } })).status).toBe(200);
    expect((await client.delete('/change')).status).toBe(405);
    expect(state.changes).toBe(1);
  });

  it('sends none with { csrf: false }', async () => {
    const client = makeApp().testClient();
    await client.get('/form');
    const res = await client.post('/change', { form: {}, csrf: false, headers: JSON_HEADERS });
    expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
  });
});
