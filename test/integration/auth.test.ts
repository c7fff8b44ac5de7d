import {
  createApp,
  CurrentUser,
  currentUser,
  Get,
  Injectable,
  LoginModule,
  LoginRequired,
  loginUser,
  logoutUser,
  MemoryStore,
  Module,
  Post,
  Query,
  redirect,
  Response,
  Roles,
  Route,
  safeNext,
  session,
  UseGuards,
  UserLoader,
  type FlagonApp,
  type Guard,
  type Request,
} from '../../src';

interface Account {
  id: number;
  name: string;
  roles: string[];
  generation: number;
}

const accounts = new Map<number, Account>();

@Injectable()
class AccountLoader extends UserLoader<Account> {
  loadUser(id: string): Account | undefined {
    return accounts.get(Number(id));
  }
  override sessionVersion(user: Account): number {
    return user.generation;
  }
  override onLogout(user: Account): void {
    user.generation++;
  }
}

class HeaderGuard implements Guard {
  canActivate(req: Request): boolean | Response {
    if (req.header('x-teapot') !== undefined) return new Response('teapot', { status: 418 });
    return req.header('x-key') === 'open';
  }
}

@Route('/')
class AuthController {
  @Get('/login')
  loginPage(): string {
    return 'login page';
  }

  @Post('/login/<int:id>')
  async login(
    @Query('next') next: string | undefined,
    @Query('remember') remember: string | undefined,
  ): Promise<Response> {
    await loginUser(
      accounts.get(Number(/\d+$/.exec(next ?? '')?.[0] ?? 0)) ?? [...accounts.values()][0],
      { remember: remember === '1' },
    );
    return redirect(safeNext(next, '/'));
  }

  @Get('/visit')
  visit(): string {
    session().set('seen', true);
    return 'seen';
  }

  @Post('/logout')
  async logout(): Promise<string> {
    await logoutUser();
    return 'bye';
  }

  @Get('/me')
  me(@CurrentUser() user: Account | undefined): object {
    return { name: user?.name ?? null, fromFunction: currentUser<Account>()?.name ?? null };
  }

  @LoginRequired()
  @Get('/private')
  private(): string {
    return 'secret';
  }

  @Roles('admin')
  @Get('/admin')
  admin(): string {
    return 'admin area';
  }

  @UseGuards(HeaderGuard)
  @Get('/guarded')
  guarded(): string {
    return 'through';
  }
}

@Module({ controllers: [AuthController] })
class AppModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    modules: [AppModule, LoginModule.configure({ loader: AccountLoader, loginUrl: '/login' })],
    config: { TESTING: true, CSRF_ENABLED: false, ...config },
    env: false,
  });
}

async function logIn(app: FlagonApp, id: number, remember = false) {
  const client = app.testClient();
  await client.get('/me');
  const res = await client.post(`/login/${id}`, {
    query: { next: `/u/${id}`, ...(remember ? { remember: '1' } : {}) },
  });
  return { client, res };
}

beforeEach(() => {
  accounts.clear();
  accounts.set(1, { id: 1, name: 'alice', roles: ['admin'], generation: 0 });
  accounts.set(2, { id: 2, name: 'bob', roles: [], generation: 0 });
});

describe('login and logout', () => {
  it('logs a user in, exposes them as @CurrentUser() and currentUser(), and redirects to a safe next', async () => {
    const app = makeApp();
    const { client, res } = await logIn(app, 1);
    expect([res.status, res.headers['location']]).toEqual([302, '/u/1']);
    expect((await client.get('/me')).json()).toEqual({ name: 'alice', fromFunction: 'alice' });
  });

  it('regenerates the session id at login (fixation defence)', async () => {
    const store = new MemoryStore();
    const app = makeApp({ SESSION_STORE: store });
    const client = app.testClient();
    const idOf = (setCookie: unknown): string =>
      /^session=([\w-]+)\./.exec(String(setCookie))?.[1] as string;
    const before = idOf((await client.get('/visit')).headers['set-cookie']);
    expect(await store.get(before)).toBeDefined();
    const after = idOf(
      (await client.post('/login/1', { query: { next: '/u/1' } })).headers['set-cookie'],
    );
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await store.get(before)).toBeUndefined();
    expect((await client.get('/me')).json()).toMatchObject({ name: 'alice' });
  });

  it('deletes the store entry at logout, so a replayed cookie is anonymous', async () => {
    const store = new MemoryStore();
    const app = makeApp({ SESSION_STORE: store });
    const { client } = await logIn(app, 1);
    const cookie = await client.cookies.getCookieString('http://localhost/');
    expect(store.size).toBe(1);
    expect((await client.post('/logout')).status).toBe(200);
    expect(store.size).toBe(0);
    expect((await app.testClient().get('/me', { headers: { cookie } })).json()).toMatchObject({
      name: null,
    });
  });

  it('ends a cookie-session login for good: a replayed pre-logout cookie does not log back in', async () => {
    const app = makeApp();
    const { client } = await logIn(app, 1);
    const cookie = await client.cookies.getCookieString('http://localhost/');
    const logout = await client.post('/logout');
    expect(String(logout.headers['set-cookie'])).toMatch(/^session=; Max-Age=0/);
    expect((await app.testClient().get('/me', { headers: { cookie } })).json()).toMatchObject({
      name: null,
    });
    expect(
      (await app.testClient().get('/private', { headers: { cookie, accept: 'application/json' } }))
        .status,
    ).toBe(401);
  });

  it('makes the session permanent when asked to remember the user', async () => {
    const { res } = await logIn(makeApp(), 1, true);
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=2678400');
  });
});

describe('guards', () => {
  it('@LoginRequired() redirects browsers to the login page with a safe next and answers 401 to JSON clients', async () => {
    const client = makeApp().testClient();
    const html = await client.get('/private?x=1', { headers: { accept: 'text/html' } });
    expect([html.status, html.headers['location']]).toEqual([
      302,
      '/login?next=%2Fprivate%3Fx%3D1',
    ]);
    const json = await client.get('/private', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(401);
    expect(json.json()).toMatchObject({ error: 'auth_login_required' });
  });

  it('@LoginRequired() lets logged-in users through', async () => {
    const { client } = await logIn(makeApp(), 2);
    expect((await client.get('/private')).text).toBe('secret');
  });

  it('answers 401 even to browsers when no login page is configured', async () => {
    const app = createApp({
      modules: [AppModule, LoginModule.configure({ loader: AccountLoader })],
      config: { TESTING: true },
      env: false,
    });
    expect(
      (await app.testClient().get('/private', { headers: { accept: 'text/html' } })).status,
    ).toBe(401);
  });

  it('@Roles() answers 403 without the role and lets the role through', async () => {
    const app = makeApp();
    const { client: bob } = await logIn(app, 2);
    const denied = await bob.get('/admin', { headers: { accept: 'application/json' } });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: 'auth_forbidden' });
    const { client: alice } = await logIn(app, 1);
    expect((await alice.get('/admin')).text).toBe('admin area');
    expect(
      (await app.testClient().get('/admin', { headers: { accept: 'application/json' } })).status,
    ).toBe(401);
  });

  it('@UseGuards(): true passes, false is 403, a Response is sent as is', async () => {
    const client = makeApp().testClient();
    expect((await client.get('/guarded', { headers: { 'x-key': 'open' } })).text).toBe('through');
    expect((await client.get('/guarded')).status).toBe(403);
    expect((await client.get('/guarded', { headers: { 'x-teapot': '1' } })).status).toBe(418);
  });

  it('needs LoginModule for loginUser()', async () => {
    const app = createApp({
      modules: [AppModule],
      config: { TESTING: true, CSRF_ENABLED: false, DEBUG: true },
      env: false,
    });
    const res = await app
      .testClient()
      .post('/login/1', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ error: 'auth_no_user_loader' });
  });
});
