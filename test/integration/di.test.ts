import {
  createApp,
  Get,
  Inject,
  Injectable,
  Module,
  Request,
  Route,
  type Provider,
} from '../../src';

function reasonOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('did not reject');
    },
    (error: unknown) => error as { code?: string; message: string },
  );
}

describe('one container per app', () => {
  @Injectable()
  class Counter {
    count = 0;
  }
  @Route('/')
  class CountController {
    constructor(private readonly counter: Counter) {}
    @Get('/')
    hit(): object {
      return { count: ++this.counter.count };
    }
  }
  @Module({ controllers: [CountController] })
  class CountModule {}

  it('two apps never share singleton instances', async () => {
    const first = createApp({ modules: [CountModule], config: { TESTING: true } });
    const second = createApp({ modules: [CountModule], config: { TESTING: true } });
    await first.testClient().get('/');
    await first.testClient().get('/');
    expect((await second.testClient().get('/')).json()).toEqual({ count: 1 });
    expect(first.resolve(Counter)).not.toBe(second.resolve(Counter));
    expect(first.resolve(Counter).count).toBe(2);
  });
});

describe('scopes', () => {
  let built = 0;
  @Injectable({ scope: 'request' })
  class RequestState {
    readonly id = ++built;
  }
  @Injectable({ scope: 'transient' })
  class Stamp {
    readonly id = Math.random();
  }
  @Injectable()
  class Reader {
    constructor(readonly state: RequestState) {}
  }
  @Route('/')
  class ScopeController {
    constructor(
      private readonly state: RequestState,
      private readonly reader: Reader,
      private readonly a: Stamp,
      private readonly b: Stamp,
    ) {}
    @Get('/')
    show(): object {
      return {
        id: this.state.id,
        sameInReader: this.reader.state === this.state,
        transientsDiffer: this.a !== this.b,
      };
    }
  }
  @Module({ controllers: [ScopeController] })
  class ScopeModule {}

  it('gives a request-scoped service a new instance per request, shared within the request', async () => {
    const client = createApp({ modules: [ScopeModule], config: { TESTING: true } }).testClient();
    const first = (await client.get('/')).json<{
      id: number;
      sameInReader: boolean;
      transientsDiffer: boolean;
    }>();
    const second = (await client.get('/')).json<{ id: number }>();
    expect(first.sameInReader).toBe(true);
    expect(first.transientsDiffer).toBe(true);
    expect(second.id).toBe(first.id + 1);
  });
});

describe('startup failures', () => {
  class Database {}
  @Injectable()
  class PostService {
    constructor(readonly db: Database) {}
  }
  @Route('/posts')
  class PostController {
    constructor(readonly posts: PostService) {}
    @Get('/')
    list(): string {
      return 'posts';
    }
  }
  @Module({ controllers: [PostController] })
  class PostModule {}

  it('a missing provider rejects init() naming the chain', async () => {
    const app = createApp({ modules: [PostModule], config: { TESTING: true } });
    const error = await reasonOf(app.init());
    expect(error.code).toBe('FLAGON_DI_MISSING_PROVIDER');
    expect(error.message).toContain('PostController -> PostService -> Database');
  });

  it('a missing provider rejects listen() and nothing listens', async () => {
    const app = createApp({ modules: [PostModule], config: { TESTING: true } });
    const error = await reasonOf(app.listen({ port: 0 }));
    expect(error.code).toBe('FLAGON_DI_MISSING_PROVIDER');
    expect(app.address).toBeUndefined();
  });

  it('a cycle rejects init() naming it', async () => {
    @Injectable()
    class Alpha {
      constructor(@Inject('beta') readonly beta: unknown) {}
    }
    @Injectable()
    class Beta {
      constructor(readonly alpha: Alpha) {}
    }
    @Route('/')
    class CycleController {
      constructor(readonly alpha: Alpha) {}
      @Get('/')
      index(): void {}
    }
    @Module({ controllers: [CycleController], providers: [{ provide: 'beta', useClass: Beta }] })
    class CycleModule {}
    const error = await reasonOf(
      createApp({ modules: [CycleModule], config: { TESTING: true } }).init(),
    );
    expect(error.code).toBe('FLAGON_DI_CIRCULAR');
    expect(error.message).toContain('Alpha -> beta -> Alpha');
  });

  it('an untyped constructor parameter rejects init()', async () => {
    interface Clock {
      now(): number;
    }
    @Route('/')
    class ClockController {
      constructor(readonly clock: Clock) {}
      @Get('/')
      index(): void {}
    }
    @Module({ controllers: [ClockController] })
    class ClockModule {}
    const error = await reasonOf(
      createApp({ modules: [ClockModule], config: { TESTING: true } }).init(),
    );
    expect(error.code).toBe('FLAGON_DI_UNTYPED_PARAMETER');
    expect(error.message).toContain('ClockController');
  });
});

describe('tokens and overrides', () => {
  const GREETING = Symbol('greeting');
  interface Mailer {
    send(to: string): string;
  }
  @Injectable()
  class Greeter {
    constructor(
      @Inject(GREETING) private readonly greeting: string,
      @Inject('mailer') private readonly mailer: Mailer,
    ) {}
    greet(name: string): string {
      return `${this.greeting}, ${name} (${this.mailer.send(name)})`;
    }
  }
  @Route('/')
  class GreetController {
    constructor(private readonly greeter: Greeter) {}
    @Get('/')
    index(): string {
      return this.greeter.greet('Ada');
    }
  }
  const providers: Provider[] = [
    { provide: GREETING, useValue: 'Hello' },
    { provide: 'mailer', useValue: { send: (to: string) => `real mail to ${to}` } },
  ];
  @Module({ controllers: [GreetController], providers })
  class GreetModule {}
  const make = () => createApp({ modules: [GreetModule], config: { TESTING: true } });

  it('injects string and symbol tokens', async () => {
    expect((await make().testClient().get('/')).text).toBe('Hello, Ada (real mail to Ada)');
  });

  it('override with useValue, useClass and useFactory injects fakes', async () => {
    class FakeMailer implements Mailer {
      send(): string {
        return 'fake';
      }
    }
    expect(
      (
        await make()
          .override('mailer', { useValue: { send: () => 'value' } })
          .testClient()
          .get('/')
      ).text,
    ).toBe('Hello, Ada (value)');
    expect(
      (await make().override('mailer', { useClass: FakeMailer }).testClient().get('/')).text,
    ).toBe('Hello, Ada (fake)');
    expect(
      (
        await make()
          .override(GREETING, { useFactory: () => 'Hi' })
          .testClient()
          .get('/')
      ).text,
    ).toBe('Hi, Ada (real mail to Ada)');
    const fakeGreeter = { greet: (name: string) => `fake ${name}` };
    expect(
      (await make().override(Greeter, { useValue: fakeGreeter }).testClient().get('/')).text,
    ).toBe('fake Ada');
  });

  it('takes a structural fake of a class with private fields, without a cast', async () => {
    class FakeGreeter {
      readonly greeted: string[] = [];
      greet(name: string): string {
        this.greeted.push(name);
        return `fake ${name}`;
      }
    }
    const fake = new FakeGreeter();
    const viaValue = await make().override(Greeter, { useValue: fake }).testClient().get('/');
    expect(viaValue.text).toBe('fake Ada');
    expect(fake.greeted).toEqual(['Ada']);
    const viaClass = await make()
      .override(Greeter, { useClass: FakeGreeter })
      .testClient()
      .get('/');
    expect(viaClass.text).toBe('fake Ada');
    const viaFactory = await make()
      .override(Greeter, { useFactory: () => ({ greet: () => 'made' }) })
      .testClient()
      .get('/');
    expect(viaFactory.text).toBe('made');
  });

  it('refuses, at compile time, a fake whose members have other types', () => {
    class NumberGreeter {
      greet(name: number): string {
        return String(name);
      }
    }
    // Never called: the compiler checks these lines (ts-jest and npm run typecheck fail on them).
    const typeChecks = (app: ReturnType<typeof make>): void => {
      // @ts-expect-error greet returns a string, not a number
      app.override(Greeter, { useValue: { greet: () => 42 } });
      // @ts-expect-error a number has none of Greeter's members
      app.override(Greeter, { useValue: 42 });
      // @ts-expect-error the class's greet takes a number
      app.override(Greeter, { useClass: NumberGreeter });
      // @ts-expect-error the factory's fake has no member in common with Greeter
      app.override(Greeter, { useFactory: () => ({ send: () => 'mail' }) });
      // String and symbol tokens carry no type: any value goes, as before.
      app.override('mailer', { useValue: { send: () => 'value' } });
      app.override(GREETING, { useValue: 'Hi' });
    };
    expect(typeChecks).toBeInstanceOf(Function);
  });

  it('an override supplies a provider nothing else registers', async () => {
    class Database {}
    @Injectable()
    class NeedsDb {
      constructor(readonly db: Database) {}
    }
    @Route('/')
    class DbController {
      constructor(private readonly needs: NeedsDb) {}
      @Get('/')
      index(): object {
        return { fake: (this.needs.db as { fake?: boolean }).fake };
      }
    }
    @Module({ controllers: [DbController] })
    class DbModule {}
    const app = createApp({ modules: [DbModule], config: { TESTING: true } }).override(Database, {
      useValue: { fake: true } as unknown as Database,
    });
    expect((await app.testClient().get('/')).json()).toEqual({ fake: true });
  });

  it('override after the app started throws FLAGON_DI_OVERRIDE_TOO_LATE', async () => {
    const app = make();
    await app.testClient().get('/');
    expect(() => app.override('mailer', { useValue: {} })).toThrow(
      expect.objectContaining({ code: 'FLAGON_DI_OVERRIDE_TOO_LATE' }) as Error,
    );
  });
});

describe('the Request as a dependency', () => {
  @Injectable({ scope: 'request' })
  class CurrentUser {
    constructor(private readonly req: Request) {}
    get name(): string {
      return this.req.header('x-user') ?? 'anonymous';
    }
  }
  @Route('/')
  class UserController {
    constructor(
      private readonly user: CurrentUser,
      @Inject('path') private readonly path: string,
    ) {}
    @Get('/me')
    async me(): Promise<object> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return { name: this.user.name, path: this.path };
    }
  }
  @Module({
    controllers: [UserController],
    providers: [
      {
        provide: 'path',
        useFactory: (req: Request) => req.path,
        inject: [Request],
        scope: 'request',
      },
    ],
  })
  class UserModule {}

  it('is injected into request-scoped services and factories, one per request', async () => {
    const client = createApp({ modules: [UserModule], config: { TESTING: true } }).testClient();
    const [ada, bob, anon] = await Promise.all([
      client.get('/me', { headers: { 'x-user': 'ada' } }),
      client.get('/me?x=1', { headers: { 'x-user': 'bob' } }),
      client.get('/me'),
    ]);
    expect([ada.json(), bob.json(), anon.json()]).toEqual([
      { name: 'ada', path: '/me' },
      { name: 'bob', path: '/me' },
      { name: 'anonymous', path: '/me' },
    ]);
  });
});

describe('constructors that throw', () => {
  it('a singleton failing to construct rejects init() naming it', async () => {
    @Injectable()
    class Broken {
      constructor() {
        throw new Error('no connection');
      }
    }
    @Route('/')
    class UsesBroken {
      constructor(readonly broken: Broken) {}
      @Get('/')
      index(): void {}
    }
    @Module({ controllers: [UsesBroken] })
    class BrokenModule {}
    const error = await reasonOf(
      createApp({ modules: [BrokenModule], config: { TESTING: true } }).init(),
    );
    expect(error.code).toBe('FLAGON_DI_CONSTRUCTION_FAILED');
    expect(error.message).toContain('no connection');
  });

  it('a request-scoped service failing to construct is a 500 for that request only', async () => {
    @Injectable({ scope: 'request' })
    class Flaky {
      constructor(req: Request) {
        if (req.query['fail'] !== undefined) throw new Error('flaky');
      }
    }
    @Route('/')
    class UsesFlaky {
      constructor(readonly flaky: Flaky) {}
      @Get('/')
      index(): string {
        return 'ok';
      }
    }
    @Module({ controllers: [UsesFlaky] })
    class FlakyModule {}
    const client = createApp({ modules: [FlakyModule], config: { TESTING: true } }).testClient();
    expect((await client.get('/?fail=1')).status).toBe(500);
    expect((await client.get('/')).text).toBe('ok');
  });
});
