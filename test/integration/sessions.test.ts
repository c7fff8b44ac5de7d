import {
  createApp,
  Get,
  HttpSession,
  Module,
  Post,
  Route,
  Session,
  session,
  type FlagonApp,
} from '../../src';
import { Signer } from '../../src/signing/signer';
import { encodeSession } from '../../src/sessions/cookie-session';

const SECRET = 's'.repeat(40);

@Route('/')
class CounterController {
  @Get('/count')
  count(@Session() current: HttpSession): { visits: number } {
    const visits = (current.get<number>('visits') ?? 0) + 1;
    current.set('visits', visits);
    return { visits };
  }

  @Get('/peek')
  peek(): { visits: number | null } {
    return { visits: session().get<number>('visits') ?? null };
  }

  @Get('/plain')
  plain(): string {
    return 'no session here';
  }

  @Get('/remember')
  remember(): string {
    session().permanent = true;
    session().set('remembered', true);
    return 'ok';
  }

  @Get('/big')
  big(): string {
    session().set('blob', 'x'.repeat(5000));
    return 'ok';
  }

  @Post('/clear')
  clear(): string {
    session().clear();
    return 'cleared';
  }
}

@Module({ controllers: [CounterController] })
class AppModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    modules: [AppModule],
    config: { TESTING: true, SECRET_KEY: SECRET, CSRF_ENABLED: false, ...config },
    env: false,
  });
}

function setCookieOf(headers: Record<string, string | string[] | undefined>): string {
  const value = headers['set-cookie'];
  return Array.isArray(value) ? value.join('\n') : (value ?? '');
}

describe('cookie sessions', () => {
  it('keeps data across requests in a signed cookie', async () => {
    const client = makeApp().testClient();
    expect((await client.get('/count')).json()).toEqual({ visits: 1 });
    expect((await client.get('/count')).json()).toEqual({ visits: 2 });
    expect((await client.get('/peek')).json()).toEqual({ visits: 2 });
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and no Expires for browser sessions', async () => {
    const res = await makeApp().testClient().get('/count');
    const cookie = setCookieOf(res.headers);
    expect(cookie).toMatch(
      /^session=[\w-]+\.[0-9a-z]+\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
    );
  });

  it('marks the cookie Secure outside debug and testing, and honours the SESSION_COOKIE_* settings', async () => {
    const production = createApp({
      modules: [AppModule],
      config: { SECRET_KEY: SECRET, LOG_LEVEL: 'silent' },
      env: false,
    });
    expect(setCookieOf((await production.testClient().get('/count')).headers)).toContain(
      '; Secure',
    );
    const custom = makeApp({
      SESSION_COOKIE_NAME: 'sid',
      SESSION_COOKIE_SAMESITE: 'Strict',
      SESSION_COOKIE_PATH: '/app',
      SESSION_COOKIE_DOMAIN: 'example.com',
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SECURE: true,
    });
    const cookie = setCookieOf((await custom.testClient().get('/count')).headers);
    expect(cookie).toMatch(/^sid=/);
    expect(cookie).toContain('Domain=example.com');
    expect(cookie).toContain('Path=/app');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Secure');
    expect(cookie).not.toContain('HttpOnly');
  });

  describe('in production (NODE_ENV=production)', () => {
    const inProduction = (config: Record<string, unknown> = {}): FlagonApp =>
      createApp({
        modules: [AppModule],
        config: { SECRET_KEY: SECRET, LOG_LEVEL: 'silent', ...config },
        env: { NODE_ENV: 'production' },
      });

    it('names the cookie __Host-session (Secure, Path=/, no Domain) and reads it back', async () => {
      const client = inProduction().testClient();
      const cookie = setCookieOf((await client.get('/count')).headers);
      expect(cookie).toMatch(/^__Host-session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect((await client.get('/count')).json()).toEqual({ visits: 2 });
    });

    it('keeps a configured SESSION_COOKIE_NAME as given', async () => {
      const res = await inProduction({ SESSION_COOKIE_NAME: 'sid' }).testClient().get('/count');
      expect(setCookieOf(res.headers)).toMatch(/^sid=/);
    });

    it('falls back to "session" when the attributes do not allow the prefix', async () => {
      const res = await inProduction({ SESSION_COOKIE_DOMAIN: 'localhost' })
        .testClient()
        .get('/count');
      expect(setCookieOf(res.headers)).toMatch(/^session=/);
    });
  });

  it.each([
    { SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: true, SESSION_COOKIE_PATH: '/app' },
    { SESSION_COOKIE_NAME: '__Host-sid', SESSION_COOKIE_SECURE: false },
    { SESSION_COOKIE_NAME: '__Secure-sid', SESSION_COOKIE_SECURE: false },
  ])('refuses a prefixed cookie name its attributes break: %j', (config) => {
    expect(() => makeApp(config)).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });

  it('refuses an invalid SESSION_COOKIE_SAMESITE at createApp', () => {
    expect(() => makeApp({ SESSION_COOKIE_SAMESITE: 'sometimes' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });

  it('sends the cookie only when the session changed, and Vary: Cookie when it was read', async () => {
    const client = makeApp().testClient();
    await client.get('/count');
    const read = await client.get('/peek');
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(read.headers['vary']).toBe('Cookie');
  });

  it('does not touch the session on routes that do not use it', async () => {
    const client = makeApp().testClient();
    await client.get('/count');
    const res = await client.get('/plain');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
  });

  it('gives permanent sessions Max-Age and refreshes them on every request unless told not to', async () => {
    const client = makeApp({ PERMANENT_SESSION_LIFETIME: 600 }).testClient();
    const first = setCookieOf((await client.get('/remember')).headers);
    expect(first).toContain('Max-Age=600');
    expect(first).toContain('Expires=');
    expect(setCookieOf((await client.get('/peek')).headers)).toContain('Max-Age=600');

    const noRefresh = makeApp({ SESSION_REFRESH_EACH_REQUEST: false }).testClient();
    await noRefresh.get('/remember');
    expect((await noRefresh.get('/peek')).headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-session'],
    ['truncated', 'TRUNCATE'],
    ['tampered', 'TAMPER'],
    ['signed with another key', 'OTHER_KEY'],
    ['expired', 'EXPIRED'],
    ['empty', ''],
    ['huge', 'a'.repeat(3000)],
  ])('reads a %s cookie as an empty session, never a 500', async (_name, kind) => {
    const app = makeApp({ PERMANENT_SESSION_LIFETIME: 60 });
    const signer = new Signer({ current: SECRET, all: [SECRET] }, 'session');
    const valid = encodeSession(signer, { data: { visits: 41 }, permanent: false });
    const cookies: Record<string, string> = {
      TRUNCATE: valid.slice(0, -5),
      TAMPER: valid.replace(/^./, (char) => (char === 'e' ? 'f' : 'e')),
      OTHER_KEY: encodeSession(
        new Signer({ current: 'o'.repeat(40), all: ['o'.repeat(40)] }, 'session'),
        { data: { visits: 41 }, permanent: false },
      ),
      EXPIRED: signer.sign(
        Buffer.from(JSON.stringify({ d: { visits: 41 } })).toString('base64url'),
        Math.floor(Date.now() / 1000) - 61,
      ),
    };
    const res = await app
      .testClient()
      .get('/count', { headers: { cookie: `session=${cookies[kind] ?? kind}` } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ visits: 1 });
  });

  it('reads cookies signed with a SECRET_KEY_FALLBACKS key and re-signs them with the current key', async () => {
    const old = 'o'.repeat(40);
    const oldClient = makeApp({ SECRET_KEY: old }).testClient();
    await oldClient.get('/count');
    const cookie = await oldClient.cookies.getCookieString('http://localhost/');

    const rotated = makeApp({ SECRET_KEY_FALLBACKS: [old] }).testClient();
    const res = await rotated.get('/count', { headers: { cookie } });
    expect(res.json()).toEqual({ visits: 2 });
    const resigned = setCookieOf(res.headers).split(';')[0] as string;
    expect(
      (
        await makeApp()
          .testClient()
          .get('/peek', { headers: { cookie: resigned } })
      ).json(),
    ).toEqual({ visits: 2 });
    expect(
      (
        await makeApp({ SECRET_KEY: old })
          .testClient()
          .get('/peek', { headers: { cookie: resigned } })
      ).json(),
    ).toEqual({ visits: null });
  });

  it('deletes the cookie when the session is emptied', async () => {
    const client = makeApp().testClient();
    await client.get('/count');
    const res = await client.post('/clear');
    expect(setCookieOf(res.headers)).toMatch(
      /^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/,
    );
    expect((await client.get('/peek')).json()).toEqual({ visits: null });
  });

  it('warns when the cookie grows past what browsers keep', async () => {
    const app = makeApp();
    const warn = jest.spyOn(app.logger, 'warn');
    await app.testClient().get('/big');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ path: '/big' }),
      expect.stringContaining('session cookie'),
    );
  });
});
