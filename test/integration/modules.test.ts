import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AfterRequest,
  BeforeRequest,
  createApp,
  ErrorHandler,
  FlagonError,
  Forbidden,
  Get,
  HttpError,
  Module,
  NotFound,
  Request,
  Response,
  Route,
  Teardown,
  currentRequest,
  g,
} from '../../src';

class DomainError extends Error {}
class MissingThing extends DomainError {}

const log: string[] = [];

@Route('/')
class AdminController {
  @Get('/')
  index(): string {
    log.push('admin handler');
    return 'admin';
  }
  @Get('/missing')
  missing(): never {
    throw new NotFound('no such admin page');
  }
  @Get('/domain')
  domain(): never {
    throw new MissingThing('thing is missing');
  }
  @Get('/forbidden')
  forbidden(): never {
    throw new Forbidden();
  }
  @Get('/boom')
  boom(): never {
    throw new Error('kaput');
  }
}

@Module({ prefix: '/admin', controllers: [AdminController] })
class AdminModule {
  @BeforeRequest()
  async guard(req: Request): Promise<unknown> {
    await Promise.resolve();
    log.push('admin before');
    if (req.query['deny'] !== undefined) return new Response('denied', { status: 401 });
    return undefined;
  }
  @AfterRequest()
  tag(response: Response): void {
    response.setHeader('x-admin', 'yes');
  }
  @Teardown()
  async done(error: unknown): Promise<void> {
    await Promise.resolve();
    log.push(`admin teardown ${error instanceof Error ? error.message : 'ok'}`);
  }
  @ErrorHandler(404)
  notFound(error: HttpError): object {
    return { admin404: error.message };
  }
  @ErrorHandler(DomainError)
  domainError(error: DomainError): Response {
    return Response.json({ domain: error.message }, { status: 409 });
  }
  @ErrorHandler(MissingThing)
  missingThing(error: MissingThing): Response {
    return Response.json({ missingThing: error.message }, { status: 410 });
  }
}

@Route('/')
class ApiController {
  @Get('/')
  index(): string {
    return 'api';
  }
  @Get('/missing')
  missing(): never {
    throw new NotFound('no such api thing');
  }
  @Get('/domain')
  domain(): never {
    throw new DomainError('api domain');
  }
}

@Module({ prefix: '/v1', controllers: [ApiController], imports: [AdminModule] })
class ApiModule {
  @AfterRequest()
  tag(response: Response): Response {
    response.setHeader('x-api', 'yes');
    return response;
  }
}

@Route('/')
class PublicController {
  @Get('/')
  index(): string {
    return 'public';
  }
  @Get('/missing')
  missing(): never {
    throw new NotFound('nothing here');
  }
}

@Module({ controllers: [PublicController] })
class PublicModule {}

@Module({ prefix: '/', imports: [ApiModule, PublicModule] })
class RootModule {
  @BeforeRequest()
  count(req: Request): void {
    req.g['seen'] = true;
    log.push('root before');
  }
  @AfterRequest()
  tag(response: Response): void {
    response.setHeader('x-root', 'yes');
  }
  @ErrorHandler(404)
  notFound(error: HttpError): Response {
    return Response.json({ root404: error.message }, { status: 404 });
  }
  @ErrorHandler(500)
  serverError(error: FlagonError): Response {
    return Response.json({ root500: error.code }, { status: 500 });
  }
  @ErrorHandler(DomainError)
  domain(error: DomainError): Response {
    return Response.json({ rootDomain: error.message }, { status: 400 });
  }
}

describe('modules as blueprints', () => {
  // The modules' 500 handlers are under test: errors are not propagated to the test client.
  const app = createApp({
    modules: [RootModule],
    config: { TESTING: true, PROPAGATE_EXCEPTIONS: false },
  });
  const client = app.testClient();
  beforeEach(() => log.splice(0));

  it('composes prefixes through imports', () => {
    const paths = app.routes().map((route) => `${route.module} ${route.path}`);
    expect(paths).toEqual(expect.arrayContaining(['api /v1/', 'admin /v1/admin/', 'public /']));
  });

  it('runs before hooks outermost first, and the module hooks only on its routes', async () => {
    const admin = await client.get('/v1/admin/');
    expect(admin.text).toBe('admin');
    expect(log).toEqual(['root before', 'admin before', 'admin handler', 'admin teardown ok']);
    expect([admin.headers['x-admin'], admin.headers['x-api'], admin.headers['x-root']]).toEqual([
      'yes',
      'yes',
      'yes',
    ]);

    log.splice(0);
    const api = await client.get('/v1/');
    expect(api.text).toBe('api');
    expect(log).toEqual(['root before']);
    expect([api.headers['x-admin'], api.headers['x-api'], api.headers['x-root']]).toEqual([
      undefined,
      'yes',
      'yes',
    ]);

    const pub = await client.get('/');
    expect([pub.headers['x-admin'], pub.headers['x-api'], pub.headers['x-root']]).toEqual([
      undefined,
      undefined,
      'yes',
    ]);
  });

  it('a before hook returning a value short-circuits; the handler never runs', async () => {
    const res = await client.get('/v1/admin/?deny=1');
    expect([res.status, res.text]).toEqual([401, 'denied']);
    expect(log).not.toContain('admin handler');
    expect(res.headers['x-admin']).toBe('yes');
  });

  it('chooses the error handler by status, module before app', async () => {
    expect((await client.get('/v1/admin/missing')).json()).toEqual({
      admin404: 'no such admin page',
    });
    const api = await client.get('/v1/missing');
    expect([api.status, api.json()]).toEqual([404, { root404: 'no such api thing' }]);
    expect((await client.get('/missing')).json()).toEqual({ root404: 'nothing here' });
  });

  it('a handler returning a plain value keeps the error status', async () => {
    expect((await client.get('/v1/admin/missing')).status).toBe(404);
  });

  it('chooses the most specific error class first, module before app', async () => {
    const specific = await client.get('/v1/admin/domain');
    expect([specific.status, specific.json()]).toEqual([410, { missingThing: 'thing is missing' }]);
    const app = await client.get('/v1/domain');
    expect([app.status, app.json()]).toEqual([400, { rootDomain: 'api domain' }]);
  });

  it('an error nobody handles by class goes to the 500 handler', async () => {
    const res = await client.get('/v1/admin/boom');
    expect([res.status, res.json()]).toEqual([
      500,
      { root500: 'FLAGON_HTTP_INTERNAL_SERVER_ERROR' },
    ]);
  });

  it('an error without a handler gets the default page', async () => {
    const res = await client.get('/v1/admin/forbidden');
    expect([res.status, res.json()]).toMatchObject([403, { error: 'forbidden' }]);
  });

  it('the teardown hook receives the error', async () => {
    await client.get('/v1/admin/missing');
    expect(log).toContain('admin teardown no such admin page');
  });

  it('an unrouted path under a module prefix goes to that module scope', async () => {
    const res = await client.get('/v1/admin/nowhere');
    expect(res.json()).toEqual({ admin404: 'No route for GET /v1/admin/nowhere' });
    expect((await client.get('/elsewhere')).json()).toEqual({
      root404: 'No route for GET /elsewhere',
    });
  });
});

describe('module mounting errors', () => {
  it('a module with controllers mounted twice fails at createApp', () => {
    @Route('/')
    class SharedController {
      @Get('/')
      index(): void {}
    }
    @Module({ controllers: [SharedController] })
    class SharedModule {}
    @Module({ prefix: '/a', imports: [SharedModule] })
    class A {}
    @Module({ prefix: '/b', imports: [SharedModule] })
    class B {}
    expect(() => createApp({ modules: [A, B], config: { TESTING: true } })).toThrow(
      expect.objectContaining({ code: 'FLAGON_MODULE_MOUNTED_TWICE' }) as Error,
    );
  });

  it('a provider-only module may be imported twice', () => {
    @Module({ providers: [] })
    class ToolsModule {}
    @Module({ prefix: '/a', imports: [ToolsModule] })
    class A {}
    @Module({ prefix: '/b', imports: [ToolsModule] })
    class B {}
    expect(() => createApp({ modules: [A, B], config: { TESTING: true } })).not.toThrow();
  });

  it('a class without @Module is refused', () => {
    class NotAModule {}
    expect(() => createApp({ modules: [NotAModule], config: { TESTING: true } })).toThrow(
      expect.objectContaining({ code: 'FLAGON_MODULE_INVALID' }) as Error,
    );
  });
});

describe('hook failures and context in hooks', () => {
  const seen: string[] = [];
  @Route('/')
  class HookController {
    @Get('/')
    index(): string {
      seen.push(`handler ${String(g()['user'])}`);
      return 'ok';
    }
  }
  @Module({ controllers: [HookController] })
  class HookModule {
    @BeforeRequest()
    load(req: Request): void {
      if (req.query['fail'] !== undefined) throw new Forbidden('hook refused');
      g()['user'] = 'ada';
    }
    @AfterRequest()
    broken(response: Response): void {
      if (currentRequest().query['after'] !== undefined) throw new Error('after hook bug');
      response.setHeader('x-after', String(g()['user']));
    }
    @Teardown()
    cleanup(error: unknown): void {
      seen.push(
        `teardown ${currentRequest().path} ${error instanceof Error ? error.message : 'ok'}`,
      );
    }
    @ErrorHandler(403)
    forbidden(error: Forbidden): object {
      return { refused: error.message };
    }
  }

  const client = createApp({ modules: [HookModule], config: { TESTING: true } }).testClient();
  beforeEach(() => seen.splice(0));

  it('hooks and handlers share g() and currentRequest()', async () => {
    const res = await client.get('/');
    expect([res.text, res.headers['x-after']]).toEqual(['ok', 'ada']);
    expect(seen).toEqual(['handler ada', 'teardown / ok']);
  });

  it('an error in a before hook goes to the error handlers and the teardown', async () => {
    const res = await client.get('/?fail=1');
    expect([res.status, res.json()]).toEqual([403, { refused: 'hook refused' }]);
    expect(seen).toEqual(['teardown / hook refused']);
  });

  it('a failing after hook keeps the response', async () => {
    const res = await client.get('/?after=1');
    expect([res.status, res.text]).toEqual([200, 'ok']);
  });
});

describe('app.handler before init', () => {
  it('the very first request, unrouted under a nested prefix, still reaches that module scope', async () => {
    const app = createApp({ modules: [RootModule], config: { TESTING: true } });
    const server = createServer(app.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/v1/admin/nowhere`);
      expect([res.status, await res.json()]).toEqual([
        404,
        { admin404: 'No route for GET /v1/admin/nowhere' },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
