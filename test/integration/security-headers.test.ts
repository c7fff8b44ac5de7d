import {
  createApp,
  Get,
  Module,
  Response,
  Route,
  SecurityHeaders,
  type FlagonApp,
} from '../../src';

@Route('/')
class PageController {
  @Get('/page')
  page(): string {
    return '<p>hi</p>';
  }

  @SecurityHeaders({
    'X-Frame-Options': false,
    'Content-Security-Policy': "default-src 'self'; img-src *",
  })
  @Get('/embeddable')
  embeddable(): string {
    return 'frame me';
  }

  @Get('/own')
  own(): Response {
    return Response.html('own').setHeader('x-frame-options', 'DENY');
  }

  @Get('/fail')
  fail(): never {
    throw new Error('boom at /srv/app/secret.ts:12');
  }
}

@SecurityHeaders({ 'Referrer-Policy': 'no-referrer' })
@Route('/strict')
class StrictController {
  @Get('/')
  index(): object {
    return {};
  }
}

@Module({ controllers: [PageController, StrictController] })
class AppModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  // /fail's 500 response is what these tests check, so errors are not propagated to the client.
  return createApp({
    modules: [AppModule],
    config: { TESTING: true, PROPAGATE_EXCEPTIONS: false, ...config },
    env: false,
  });
}

const DEFAULTS = {
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

describe('security headers', () => {
  it.each(['/page', '/strict/', '/missing', '/fail'])(
    'are on the response to %s, without X-Powered-By',
    async (path) => {
      const res = await makeApp().testClient().get(path);
      expect(res.headers).toMatchObject(
        path === '/strict/' ? { ...DEFAULTS, 'referrer-policy': 'no-referrer' } : DEFAULTS,
      );
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    },
  );

  it('can be changed or dropped per route, and a handler keeps its own', async () => {
    const client = makeApp().testClient();
    const embeddable = await client.get('/embeddable');
    expect(embeddable.headers['x-frame-options']).toBeUndefined();
    expect(embeddable.headers['content-security-policy']).toBe("default-src 'self'; img-src *");
    expect((await client.get('/own')).headers['x-frame-options']).toBe('DENY');
  });

  it('can be changed app-wide with SECURITY_HEADERS', async () => {
    const res = await makeApp({
      SECURITY_HEADERS: {
        'Content-Security-Policy': "default-src 'none'",
        'Cross-Origin-Opener-Policy': false,
      },
    })
      .testClient()
      .get('/page');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  it('adds HSTS only when the request is secure, honouring TRUST_PROXY', async () => {
    const proxied = { headers: { 'x-forwarded-proto': 'https' } };
    expect(
      (await makeApp().testClient().get('/page', proxied)).headers['strict-transport-security'],
    ).toBeUndefined();
    expect(
      (await makeApp({ TRUST_PROXY: 1 }).testClient().get('/page', proxied)).headers[
        'strict-transport-security'
      ],
    ).toBe('max-age=31536000; includeSubDomains');
    expect(
      (await makeApp({ TRUST_PROXY: 1, HSTS: false }).testClient().get('/page', proxied)).headers[
        'strict-transport-security'
      ],
    ).toBeUndefined();
  });

  it('never leaks a stack trace or file path in production', async () => {
    const app = createApp({
      modules: [AppModule],
      config: { SECRET_KEY: 'p'.repeat(40), LOG_LEVEL: 'silent' },
      env: false,
    });
    const client = app.testClient();
    for (const accept of ['application/json', 'text/html']) {
      const res = await client.get('/fail', { headers: { accept } });
      expect(res.status).toBe(500);
      expect(res.text).not.toMatch(/boom|secret\.ts|\/srv\/|at \w+ \(|node_modules/);
    }
  });
});
