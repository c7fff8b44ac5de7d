import {
  Cors,
  CorsModule,
  createApp,
  csrfToken,
  Get,
  Module,
  Post,
  Put,
  Route,
  type CorsOptions,
  type FlagonApp,
} from '../../src';

const SECRET = 'k'.repeat(40);
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

@Route('/api')
class ItemsApi {
  @Get('/items')
  list(): { items: string[] } {
    return { items: ['a'] };
  }

  @Put('/items/<int:id>')
  replace(): { ok: boolean } {
    return { ok: true };
  }

  @Get('/token')
  token(): { token: string } {
    return { token: csrfToken() };
  }

  @Post('/items')
  create(): { created: boolean } {
    return { created: true };
  }
}

@Cors({ origins: '*', exposedHeaders: ['X-Total-Count'] })
@Route('/public')
class PublicApi {
  @Get('/feed')
  feed(): string[] {
    return [];
  }

  @Cors({ origins: [/^https:\/\/[a-z]+\.partner\.org$/], methods: ['GET', 'PUT'], maxAge: 60 })
  @Put('/files/<path:name>')
  upload(): string {
    return 'stored';
  }
}

@Module({ controllers: [ItemsApi, PublicApi] })
class ApiModule {}

function makeApp(options?: CorsOptions): FlagonApp {
  return createApp({
    modules: [ApiModule, CorsModule.configure(options)],
    config: { TESTING: true, SECRET_KEY: SECRET },
    env: false,
  });
}

function preflight(
  app: FlagonApp,
  path: string,
  origin: string,
  method = 'PUT',
  headers: Record<string, string> = {},
): ReturnType<ReturnType<FlagonApp['testClient']>['options']> {
  return app.testClient().options(path, {
    headers: { origin, 'access-control-request-method': method, ...headers },
  });
}

describe('CorsModule', () => {
  const app = makeApp({
    origins: [APP, /^http:\/\/localhost:\d+$/],
    credentials: true,
    allowedHeaders: ['Content-Type', 'X-CSRF-Token'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  });
  afterAll(() => app.close());

  // Flask-CORS and @fastify/cors: a listed origin is echoed back, with Vary: Origin.
  it('gives an allowed origin its CORS headers on actual responses', async () => {
    const res = await app.testClient().get('/api/items', { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect(res.headers['vary']).toBe('Origin');
  });

  it('matches origins by RegExp too', async () => {
    const res = await app.testClient().get('/api/items', {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  // Both: an origin that does not match gets no Access-Control-* header at all.
  it('adds nothing for another origin but Vary: Origin', async () => {
    const res = await app.testClient().get('/api/items', { headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual(
      [],
    );
    expect(res.headers['vary']).toBe('Origin');
  });

  it('adds Vary: Origin to answers without an Origin, so caches keep them apart', async () => {
    const res = await app.testClient().get('/api/items');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['vary']).toBe('Origin');
  });

  // @fastify/cors: preflights get 204 with the allowed methods, headers and max age.
  it('answers a preflight from an allowed origin with 204 and Access-Control-Allow-*', async () => {
    const res = await preflight(app, '/api/items/3', APP, 'PUT', {
      'access-control-request-headers': 'content-type, x-csrf-token, x-debug',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('content-type, x-csrf-token');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['vary']).toBe('Origin');
    expect(res.text).toBe('');
  });

  it("gives a preflight from another origin Flagon's usual OPTIONS answer, without CORS headers", async () => {
    const res = await preflight(app, '/api/items/3', EVIL);
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('OPTIONS, PUT');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('treats an OPTIONS request without Access-Control-Request-Method as no preflight', async () => {
    const res = await app.testClient().options('/api/items/3', { headers: { origin: APP } });
    expect(res.headers['allow']).toBe('OPTIONS, PUT');
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('gives a 404 for an allowed origin its CORS headers, so the page can read it', async () => {
    const res = await app.testClient().get('/api/nowhere', { headers: { origin: APP } });
    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('trusts allowed origins in the CSRF Origin check, and still checks the token', async () => {
    const client = app.testClient();
    const { token } = (await client.get('/api/token')).json<{ token: string }>();
    const withToken = await client.post('/api/items', {
      headers: { origin: APP, 'x-csrf-token': token },
    });
    expect(withToken.status).toBe(200);
    expect(withToken.headers['access-control-allow-origin']).toBe(APP);

    const noToken = await client.post('/api/items', { headers: { origin: APP }, csrf: false });
    expect(noToken.status).toBe(400);
    expect(noToken.json()).toMatchObject({ error: 'csrf_token_missing' });
    // The refusal carries the CORS headers: the calling page can read why.
    expect(noToken.headers['access-control-allow-origin']).toBe(APP);

    const foreign = await client.post('/api/items', {
      headers: { origin: EVIL, 'x-csrf-token': token },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.json()).toMatchObject({ error: 'csrf_origin_mismatch' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('@Cors', () => {
  const app = makeApp({ origins: [APP] });
  afterAll(() => app.close());

  // Flask-CORS's origins='*': every origin gets *, with nothing that varies.
  it("gives a controller's routes its own settings: '*' for any origin, no Vary", async () => {
    const res = await app.testClient().get('/public/feed', { headers: { origin: EVIL } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toBe('X-Total-Count');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
  });

  it("answers preflights with the route's own policy, the method's over the controller's", async () => {
    const partner = 'https://files.partner.org';
    const allowed = await preflight(app, '/public/files/a/b.txt', partner);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(partner);
    expect(allowed.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(allowed.headers['access-control-max-age']).toBe('60');

    const appOrigin = await preflight(app, '/public/files/a/b.txt', APP);
    expect(appOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('leaves the app-wide policy to every other route', async () => {
    const res = await preflight(app, '/api/items/1', APP);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(
      (await preflight(app, '/api/items/1', 'https://files.partner.org')).headers,
    ).not.toHaveProperty('access-control-allow-origin');
  });

  it('works with CorsModule.configure() and no app-wide origins', async () => {
    const only = makeApp();
    const feed = await only.testClient().get('/public/feed', { headers: { origin: EVIL } });
    expect(feed.headers['access-control-allow-origin']).toBe('*');
    const items = await only.testClient().get('/api/items', { headers: { origin: APP } });
    expect(items.headers['access-control-allow-origin']).toBeUndefined();
    expect(items.headers['vary']).toBeUndefined();
    await only.close();
  });
});

describe('CORS options at startup', () => {
  it("refuses '*' with credentials, naming the options", () => {
    expect(() => makeApp({ origins: '*', credentials: true })).toThrow(
      expect.objectContaining({
        code: 'FLAGON_CONFIG_INVALID',
        message: expect.stringMatching(/origins "\*".*credentials: true/) as string,
      }) as Error,
    );
  });

  it("refuses a bad @Cors, naming the route's endpoint", () => {
    @Route('/bad')
    class BadApi {
      @Cors({ origins: '*', credentials: true })
      @Get('/')
      show(): string {
        return '';
      }
    }
    @Module({ controllers: [BadApi] })
    class BadModule {}
    expect(() =>
      createApp({
        modules: [BadModule, CorsModule.configure()],
        env: false,
        config: { TESTING: true },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'FLAGON_CONFIG_INVALID',
        message: expect.stringContaining('@Cors on bad.BadApi.show') as string,
      }) as Error,
    );
  });

  it('refuses an origin with a path', () => {
    expect(() => makeApp({ origins: ['https://app.example.com/'] })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });
});
