import {
  AfterAppRequest,
  AfterRequest,
  AppErrorHandler,
  AppTeardown,
  BeforeAppRequest,
  BeforeRequest,
  createApp,
  ErrorHandler,
  Get,
  Conflict,
  currentUser,
  LoginModule,
  loginUser,
  Module,
  NotFound,
  Post,
  Route,
  RouteMetadata,
  session,
  Teardown,
  UserLoader,
  type OnHealthCheck,
  type OnRoute,
  type Request,
  type RouteInfo,
  type RouteSetup,
} from '../../src';
import { NoFrame, seenRoutes, TalismanModule } from '../fixtures/talisman-extension';

@Route('/')
class PageController {
  @Get('/page')
  page(): { page: string } {
    return { page: 'plain' };
  }

  @NoFrame()
  @Get('/payment')
  payment(): { page: string } {
    return { page: 'payment' };
  }

  @Get('/gone')
  gone(): never {
    throw new NotFound('This page is gone');
  }
}

@Module({ prefix: '/shop', controllers: [PageController] })
class ShopModule {}

@NoFrame()
@Route('/')
class AdminController {
  @Get('/')
  dashboard(): { admin: boolean } {
    return { admin: true };
  }
}

@Module({ prefix: '/admin', controllers: [AdminController] })
class AdminModule {}

function talismanApp() {
  return createApp({
    modules: [ShopModule, AdminModule, TalismanModule.configure({ policy: 'strict' })],
    config: { TESTING: true },
    env: false,
  });
}

describe('an extension written against the public API only (a Talisman-like header extension)', () => {
  it('adds a header to every response of modules it does not import, 404s included', async () => {
    const client = talismanApp().testClient();
    for (const path of ['/shop/page', '/admin/', '/nowhere']) {
      const res = await client.get(path);
      expect(res.headers['x-talisman-policy']).toBe('strict');
      // The built-in security headers are still there.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('reads its route decorator at startup: on a method and on a whole controller', async () => {
    const client = talismanApp().testClient();
    expect((await client.get('/shop/payment')).headers['x-frame-options']).toBe('DENY');
    expect((await client.get('/admin/')).headers['x-frame-options']).toBe('DENY');
    // Routes without the decorator keep the default.
    expect((await client.get('/shop/page')).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('handles an error for the whole app: routed and unrouted 404s', async () => {
    const client = talismanApp().testClient();
    const gone = await client.get('/shop/gone');
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({ talisman: 'not found', message: 'This page is gone' });
    const unrouted = await client.get('/nowhere');
    expect(unrouted.status).toBe(404);
    expect(unrouted.json()).toMatchObject({ talisman: 'not found' });
  });

  it('is asked once per entry of app.routes() by the time init resolves', async () => {
    seenRoutes.length = 0;
    const app = talismanApp();
    await app.init();
    expect(seenRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      app
        .routes()
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    // No separate entry for the implicit HEAD of a GET route.
    expect(seenRoutes.some((route) => route.method === 'HEAD')).toBe(false);
  });
});

const LABEL = Symbol('label');

@RouteMetadata(LABEL, 'controller')
@Route('/items')
class ItemController {
  @Get('/<int:id>')
  @Post('/<int:id>')
  item(): { ok: boolean } {
    return { ok: true };
  }

  @RouteMetadata(LABEL, 'method')
  @Get('/special')
  special(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [ItemController] })
class ItemModule {}

describe('RouteInfo', () => {
  it('describes the controller, handler, endpoint, rule, methods, module and metadata', () => {
    const app = createApp({ modules: [ItemModule], config: { TESTING: true }, env: false });
    const item = app.routes().find((route) => route.method === 'POST') as RouteInfo;
    expect(item.controller).toBe(ItemController);
    expect(item.methodName).toBe('item');
    expect(item.endpoint).toBe('item.ItemController.item');
    expect(item.rule).toBe('/items/<int:id>');
    expect([...item.methods].sort()).toEqual(['GET', 'POST']);
    expect(item.module).toBe('item');
    expect(item.moduleClass).toBe(ItemModule);
    expect(item.metadata(LABEL)).toBe('controller');
    const special = app.routes().find((route) => route.path === '/items/special') as RouteInfo;
    // Method metadata wins over the controller's; both are there for allMetadata.
    expect(special.metadata(LABEL)).toBe('method');
    expect(special.allMetadata(LABEL)).toEqual(['controller', 'method']);
    // The row stays what `app.routes()` printed before: method, path, endpoint, module.
    expect(JSON.parse(JSON.stringify(special))).toEqual({
      method: 'GET',
      path: '/items/special',
      endpoint: 'item.ItemController.special',
      module: 'item',
    });
  });
});

const calls: string[] = [];

@Route('/')
class OrderController {
  @Get('/order')
  order(): { ok: boolean } {
    calls.push('handler');
    return { ok: true };
  }

  @Get('/teapot')
  teapot(): never {
    throw new Conflict('short and stout');
  }
}

@Module({ prefix: '/inner', controllers: [OrderController] })
class InnerModule {
  @BeforeRequest()
  before(): void {
    calls.push('inner before');
  }

  @AfterRequest()
  after(): void {
    calls.push('inner after');
  }

  @Teardown()
  teardown(): void {
    calls.push('inner teardown');
  }

  @ErrorHandler(409)
  teapot(): { handledBy: string } {
    return { handledBy: 'module' };
  }
}

function appWideModule(name: string) {
  @Module()
  class AppWide {
    @BeforeAppRequest()
    before(): void {
      calls.push(`${name} app before`);
    }

    @AfterAppRequest()
    after(): void {
      calls.push(`${name} app after`);
    }

    @AppTeardown()
    teardown(): void {
      calls.push(`${name} app teardown`);
    }

    @AppErrorHandler(409)
    teapot(): { handledBy: string } {
      return { handledBy: name };
    }

    @AppErrorHandler(404)
    missing(): { handledBy: string } {
      return { handledBy: name };
    }
  }
  return AppWide;
}

describe('app-wide hooks', () => {
  const First = appWideModule('first');
  const Second = appWideModule('second');
  const app = createApp({
    modules: [First, InnerModule, Second],
    config: { TESTING: true },
    env: false,
  });

  beforeEach(() => (calls.length = 0));

  it('run outside the module hooks: befores in registration order, afters in reverse', async () => {
    await app.testClient().get('/inner/order');
    expect(calls).toEqual([
      'first app before',
      'second app before',
      'inner before',
      'handler',
      'inner after',
      'second app after',
      'first app after',
      'inner teardown',
      'second app teardown',
      'first app teardown',
    ]);
  });

  it('yield to a module error handler, and the first registered one wins among themselves', async () => {
    const client = app.testClient();
    expect((await client.get('/inner/teapot')).json()).toEqual({ handledBy: 'module' });
    const missing = await client.get('/elsewhere');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ handledBy: 'first' });
  });

  it('run for unrouted requests too, without the module-scoped before hooks', async () => {
    await app.testClient().get('/inner/nothing-here');
    expect(calls).toEqual([
      'first app before',
      'second app before',
      'inner after',
      'second app after',
      'first app after',
      'inner teardown',
      'second app teardown',
      'first app teardown',
    ]);
  });
});

describe('a before step that answers', () => {
  @Module()
  class MaintenanceModule implements OnRoute {
    onRoute(route: RouteInfo): RouteSetup | undefined {
      return route.path.startsWith('/inner')
        ? { before: () => ({ maintenance: true }) }
        : undefined;
    }

    onUnrouted(): RouteSetup {
      return { before: (req: Request) => (req.path === '/down' ? { down: true } : undefined) };
    }
  }

  it('short-circuits routed and unrouted requests', async () => {
    calls.length = 0;
    const app = createApp({
      modules: [MaintenanceModule, InnerModule],
      config: { TESTING: true },
      env: false,
    });
    const client = app.testClient();
    expect((await client.get('/inner/order')).json()).toEqual({ maintenance: true });
    expect(calls).not.toContain('handler');
    const down = await client.get('/down');
    expect(down.status).toBe(200);
    expect(down.json()).toEqual({ down: true });
  });
});

class Account {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
}

class Accounts extends UserLoader<Account> {
  loadUser(id: string): Account | undefined {
    return id === '7' ? new Account(7, 'ada') : undefined;
  }
}

@Route('/')
class LoginController {
  @Post('/login')
  async login(): Promise<{ ok: boolean }> {
    await loginUser(new Account(7, 'ada'));
    session().set('theme', 'dark');
    return { ok: true };
  }
}

@Module({ controllers: [LoginController] })
class LoginAppModule {
  @AppErrorHandler(404)
  missing(_error: unknown, req: Request): { theme: unknown; user: unknown } {
    return { theme: session(req).get('theme') ?? null, user: req.g['user'] ?? null };
  }

  @BeforeAppRequest()
  user(req: Request): void {
    // The built-in login step ran before this app-wide hook, on unrouted requests too.
    req.g['user'] = currentUser<Account>(req)?.name ?? null;
  }
}

describe('the built-ins on unrouted requests', () => {
  it('give a 404 handler the session and the current user', async () => {
    const app = createApp({
      modules: [LoginAppModule, LoginModule.configure({ loader: Accounts })],
      // Server-side sessions: the built-in step loads them (and the user) before the app's hooks.
      config: { TESTING: true, SESSION_STORE: 'memory', CSRF_ENABLED: false },
      env: false,
    });
    const client = app.testClient();
    await client.post('/login');
    const missing = await client.get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ theme: 'dark', user: 'ada' });
  });
});

describe('module setup and health checks', () => {
  it('fails createApp when a setup rejects the config', () => {
    @Module({
      setup: (app) => {
        if (typeof app.config.get('QUEUE_URL') !== 'string')
          throw new Error('QUEUE_URL must be set for the queue extension');
      },
    })
    class QueueModule {}
    expect(() =>
      createApp({ modules: [QueueModule], config: { TESTING: true }, env: false }),
    ).toThrow('QUEUE_URL must be set');
  });

  it('answers 503 on HEALTH_PATH while an extension reports itself unavailable', async () => {
    let isUp = true;
    @Module()
    class QueueModule implements OnHealthCheck {
      checkHealth(): void {
        if (!isUp) throw new Error('queue down');
      }
    }
    const app = createApp({
      modules: [QueueModule],
      config: { TESTING: true, HEALTH_PATH: '/healthz' },
      env: false,
    });
    const client = app.testClient();
    const up = await client.get('/healthz');
    expect(up.status).toBe(200);
    expect(up.json()).toEqual({ status: 'ok', checks: { queue: 'ok' } });
    isUp = false;
    const down = await client.get('/healthz');
    expect(down.status).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', checks: { queue: 'unavailable' } });
  });
});

describe('PROPAGATE_EXCEPTIONS', () => {
  @Route('/')
  class BrokenController {
    @Get('/broken')
    broken(): never {
      throw new TypeError('a real bug');
    }
  }

  @Module({ controllers: [BrokenController] })
  class BrokenModule {}

  it('hands a handler error no one handles to the test client call in testing mode', async () => {
    const app = createApp({ modules: [BrokenModule], config: { TESTING: true }, env: false });
    await expect(app.testClient().get('/broken')).rejects.toThrow(new TypeError('a real bug'));
  });

  it('answers 500 when turned off', async () => {
    const app = createApp({
      modules: [BrokenModule],
      config: { TESTING: true, PROPAGATE_EXCEPTIONS: false },
      env: false,
    });
    const res = await app.testClient().get('/broken');
    expect(res.status).toBe(500);
  });
});
