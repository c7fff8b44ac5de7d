import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { sql, type Kysely } from 'kysely';
import * as flagon from 'flagon';
import * as flagonTesting from 'flagon/testing';

import { extractSamples, runSample, typeCheckSamples } from './support/markdown-samples';
import { REPO_ROOT } from './support/processes';
import { makeTestApp } from './support/test-app';

// Pages whose samples are excerpts their authors have not yet made whole programs; every other
// page's samples compile as written.
const EXCERPT_PAGES = new Set(['docs/security.md']);

const pages = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];
const samples = pages.flatMap((page) => extractSamples(page));
const checked = samples.filter((sample) => !EXCERPT_PAGES.has(sample.page));

// What a sample imports: the package as the test sees it, or an earlier sample of its page.
function requireFor(page: string): (id: string) => unknown {
  return (id) => {
    if (id === 'flagon') return flagon;
    if (id === 'flagon/testing') return flagonTesting;
    if (id.startsWith('./')) {
      const sibling = samples.find((s) => s.page === page && s.moduleName === id.slice(2));
      if (sibling === undefined) throw new Error(`${page} has no sample marked "module ${id}"`);
      return runSample(sibling, requireFor(page));
    }
    // Jest's require, so class-transformer and the rest are the instances src/ uses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as unknown;
  };
}

function run(name: string): Record<string, unknown> {
  const sample = samples.find((candidate) => candidate.runName === name);
  if (sample === undefined) throw new Error(`no sample marked "run ${name}"`);
  return runSample(sample, requireFor(sample.page));
}

function appOf(exports: Record<string, unknown>): flagon.FlagonApp {
  const app = exports['app'];
  if (!(app instanceof flagon.FlagonApp)) throw new Error('the sample exports no app');
  return app;
}

function exported<TValue>(exports: Record<string, unknown>, name: string): TValue {
  if (!(name in exports)) throw new Error(`the sample does not export ${name}`);
  return exports[name] as TValue;
}

describe('samples of README.md and docs/', () => {
  it('finds the samples and the pages they run from', () => {
    expect(checked.length).toBeGreaterThanOrEqual(30);
    expect(samples.filter((sample) => sample.runName !== undefined).length).toBeGreaterThan(10);
  });

  it('compile as written against src, each as its own module', () => {
    expect(typeCheckSamples(checked)).toEqual([]);
  }, 180_000);

  it('has a check below for every sample marked to run, each name used once', () => {
    const names = samples.flatMap((sample) =>
      sample.runName === undefined ? [] : [sample.runName],
    );
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => !RUN_CHECKS.has(name)).sort()).toEqual([]);
    expect([...RUN_CHECKS].filter((name) => !names.includes(name)).sort()).toEqual([]);
  });
});

// The names of the checks below; kept in one list so that a renamed mark fails the test above.
const RUN_CHECKS = new Set([
  'readme-hello',
  'readme-test',
  'getting-started-login',
  'routing-converters',
  'routing-request',
  'routing-errors',
  'modules-blueprint',
  'modules-providers',
  'modules-configure',
  'testing-override',
  'testing-propagate',
  'cli-build-app',
  'cli-extension-command',
  'validation-dto',
  'extensions-talisman-app',
  'deployment-timeout',
  'testing-subpath',
  'api-openapi',
  'api-decorators',
  'api-cors',
  'database-migration',
  'database-run-in-transaction',
]);

describe('README.md samples, run', () => {
  it('Hello, world answers JSON on /hello/ and greets by name', async () => {
    const client = appOf(run('readme-hello')).testClient();
    expect((await client.get('/hello/')).json()).toEqual({ hello: 'world' });
    const greeting = await client.get('/hello/Ada');
    expect(greeting.status).toBe(200);
    expect(greeting.json()).toEqual({ message: 'Hello, Ada!' });
  });

  it('the test with a structural fake sees the fake weather', async () => {
    const forecast = exported<() => Promise<unknown>>(
      run('readme-test'),
      'forecastWithFakeWeather',
    );
    await expect(forecast()).resolves.toEqual({ today: 'sun' });
  });
});

describe('docs/getting-started.md samples, run', () => {
  it('sends browsers to the login form, logs in through it and counts visits', async () => {
    const sample = run('getting-started-login');
    const app = makeTestApp(exported<flagon.ModuleRef[]>(sample, 'modules'));
    await app.init();
    const accounts = app.resolve(
      exported<new () => { register(name: string, password: string): Promise<unknown> }>(
        sample,
        'Accounts',
      ),
    );
    await accounts.register('ada', 'correct horse battery');
    const client = app.testClient();

    const anonymous = await client.get('/auth/visits', { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers['location']).toBe('/auth/login?next=%2Fauth%2Fvisits');
    expect(
      (await client.get('/auth/visits', { headers: { accept: 'application/json' } })).status,
    ).toBe(401);

    const form = await client.get('/auth/login');
    expect(form.status).toBe(200);
    expect(client.csrfToken).toEqual(expect.any(String));
    const csrf = client.csrfToken ?? '';
    const wrong = await client.post('/auth/login', {
      form: { name: 'ada', password: 'wrong password', csrf_token: csrf },
    });
    expect(wrong.json()).toEqual({ error: 'Incorrect username or password.' });
    const login = await client.post('/auth/login?next=/auth/visits', {
      form: { name: 'ada', password: 'correct horse battery', csrf_token: csrf },
    });
    expect(login.status).toBe(302);
    expect(login.headers['location']).toBe('/auth/visits');
    expect((await client.get('/auth/visits')).json()).toEqual({ visits: 1 });
    expect((await client.get('/auth/visits')).json()).toEqual({ visits: 2 });
  });
});

describe('docs/routing.md samples, run', () => {
  it('converts path variables, builds URLs and rejects what a converter does not match', async () => {
    const sample = run('routing-converters');
    expect(sample['url']).toBe('/blog/posts/by-color/ff?page=2');
    const client = appOf(sample).testClient();
    expect((await client.get('/blog/posts/3')).json()).toEqual({ id: 3, self: '/blog/posts/3' });
    expect((await client.get('/blog/posts/three')).status).toBe(404);
    expect((await client.get('/blog/posts/by-color/ff')).json()).toEqual({ color: 255 });
    expect((await client.get('/blog/posts/by-color/zz')).status).toBe(404);
  });

  it('reads query values, sets headers and cookies, redirects and answers 400 on abort', async () => {
    const sample = run('routing-request');
    const client = appOf(sample).testClient();
    const search = await client.get('/api/search?q=flask&tag=a&tag=b');
    expect(search.json()).toEqual({ q: 'flask', tags: ['a', 'b'] });
    expect(search.headers['cache-control']).toBe('max-age=60');
    expect((await client.get('/api/search')).status).toBe(400);
    const whoami = await client.get('/api/whoami');
    expect(whoami.json()).toMatchObject({ path: '/api/whoami', lang: null });
    expect(String(whoami.headers['set-cookie'])).toContain('seen=1');
    const old = await client.get('/api/old');
    expect(old.status).toBe(301);
    expect(old.headers['location']).toBe('/api/search?q=new');
    // The POST route's own behaviour (its status), apart from CSRF, which docs/security.md covers.
    const items = makeTestApp([exported<flagon.ModuleRef>(sample, 'ApiModule')], {
      CSRF_ENABLED: false,
    }).testClient();
    const created = await items.post('/api/items', { json: { name: 'x' } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ received: { name: 'x' } });
  });

  it('describes Flagon errors by code and status', () => {
    const describeError = exported<(error: unknown) => string>(run('routing-errors'), 'describe');
    expect(describeError(new flagon.NotFound('no post'))).toBe(
      'FLAGON_HTTP_NOT_FOUND (404): no post',
    );
    expect(describeError(new Error('boom'))).toBe('Internal Server Error');
  });
});

describe('docs/modules-and-di.md samples, run', () => {
  it("runs the module's before hook, after hook and 404 handler on its routes", async () => {
    const client = appOf(run('modules-blueprint')).testClient();
    const refused = await client.get('/admin/users/7');
    expect(refused.status).toBe(401);
    expect(refused.json()).toEqual({ error: 'token required' });
    const missing = await client.get('/admin/users/7', { headers: { 'x-token': 'secret' } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ missing: 'No user 7' });
    expect(missing.headers['x-area']).toBe('admin');
  });

  it('injects providers by token and the Config', async () => {
    const client = appOf(run('modules-providers')).testClient();
    expect((await client.get('/signups/ada@example.com')).json()).toEqual({
      sent: 'ada@example.com: Welcome to the blog!',
    });
  });

  it('awaits onInit before the app is ready and runs onShutdown on close', async () => {
    const sample = run('modules-configure');
    const app = appOf(sample);
    await app.init();
    const dbModule = app.resolve(exported<new () => { isOpen: boolean }>(sample, 'DbModule'));
    expect(dbModule.isOpen).toBe(true);
    expect(app.config.get('DB_TIMEOUT_MS')).toBe(5000);
    await app.close();
    expect(dbModule.isOpen).toBe(false);
  });
});

describe('docs/testing.md samples, run', () => {
  it('replaces a provider with app.override', async () => {
    await expect(
      exported<() => Promise<boolean>>(run('testing-override'), 'checkToday')(),
    ).resolves.toBe(true);
  });

  it("throws the handler's own error at the test client's call in testing mode", async () => {
    const callBroken = exported<() => Promise<string>>(run('testing-propagate'), 'callBroken');
    await expect(callBroken()).resolves.toBe('the real error');
  });
});

describe('docs/testing.md, the flagon/testing sample, run', () => {
  it('builds a TestClient from the subpath export', async () => {
    const notFoundStatus = exported<() => Promise<number>>(
      run('testing-subpath'),
      'notFoundStatus',
    );
    await expect(notFoundStatus()).resolves.toBe(404);
  });
});

describe('docs/deployment.md samples, run', () => {
  it('answers a route with @Timeout like any other while it finishes in time', async () => {
    const sample = run('deployment-timeout');
    @flagon.Module({ controllers: [exported<flagon.Constructor>(sample, 'ReportController')] })
    class ReportModule {}
    const response = await makeTestApp([ReportModule]).testClient().get('/report');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ rows: 0 });
  });
});

describe('docs/cli.md samples, run', () => {
  it('buildApp returns an app the CLI can serve', async () => {
    const buildApp = exported<(config?: Record<string, unknown>) => unknown>(
      run('cli-build-app'),
      'buildApp',
    );
    const app = buildApp({ TESTING: true });
    expect(app).toBeInstanceOf(flagon.FlagonApp);
    expect((await (app as flagon.FlagonApp).testClient().get('/nowhere')).status).toBe(404);
  });

  it("an extension's command runs against the initialised app and prints through print", async () => {
    const sample = run('cli-extension-command');
    const configured = exported<{ configure(): flagon.ConfiguredModule }>(
      sample,
      'DatabaseModule',
    ).configure();
    const app = makeTestApp([configured]);
    await app.init();
    const printed: string[] = [];
    const command = configured.commands?.[0];
    expect(command?.name).toBe('db init');
    await command?.run({ app, args: ['--seed'], print: (line) => printed.push(line) });
    expect(printed).toEqual(['Initialized the database (3 tables, seeded).']);
    await app.close();
  });
});

describe('docs/validation.md samples, run', () => {
  it('turns bodies and query strings into validated DTOs, and invalid ones into a 400', async () => {
    const sample = run('validation-dto');
    @flagon.Module({ controllers: [exported<flagon.Constructor>(sample, 'PostApi')] })
    class PostApiModule {}
    // JSON posts without a CSRF token: this checks validation, docs/security.md covers CSRF.
    const client = makeTestApp([PostApiModule], { CSRF_ENABLED: false }).testClient();
    const created = await client.post('/api/posts/', {
      json: { title: 'Hi', body: 'text', author: { name: 'Ada' }, isAdmin: true },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ title: 'Hi', body: 'text', author: { name: 'Ada' } });
    const invalid = await client.post('/api/posts/', { json: { title: '', body: 'text' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({ fields: { title: expect.any(Array) as unknown } });
    expect((await client.get('/api/posts/?page=2')).json()).toEqual({ page: 2 });
  });
});

describe('docs/extensions.md samples, run', () => {
  it("adds the extension's header everywhere, denies frames on @NoFrame() routes, shapes 404s", async () => {
    const client = appOf(run('extensions-talisman-app')).testClient();
    const payment = await client.get('/account/payment');
    expect(payment.json()).toEqual({ step: 'card' });
    expect(payment.headers['permissions-policy']).toBe('camera=()');
    expect(payment.headers['x-frame-options']).toBe('DENY');
    const missing = await client.get('/nowhere', { headers: { accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
    expect(missing.headers['permissions-policy']).toBe('camera=()');
  });
});

describe('docs/api.md samples, run', () => {
  it('serves the document app.openapi() returns, and the docs page', async () => {
    const app = appOf(run('api-openapi'));
    const client = app.testClient();
    const served = await client.get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json()).toMatchObject({
      info: { title: 'Blog API', version: '1.0.0', description: 'Posts and comments' },
      servers: [{ url: 'https://blog.example.com' }],
      paths: { '/posts/{id}': { get: { operationId: 'blog.PostController.show' } } },
    });
    expect(app.openapi()).toEqual(served.json());
    const docs = await client.get('/docs', { headers: { accept: 'text/html' } });
    expect(docs.status).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("'sha256-");
  });

  it('writes only the fields @Returns declares, answers 201 and refuses forms with 415', async () => {
    const sample = run('api-decorators');
    // JSON posts without a CSRF token: this checks the decorators, docs/security.md covers CSRF.
    const client = makeTestApp([exported<flagon.ModuleRef>(sample, 'PostApiModule')], {
      CSRF_ENABLED: false,
    }).testClient();
    expect((await client.get('/api/posts/1')).json()).toEqual({ id: 1, title: 'Hello', body: '…' });
    const created = await client.post('/api/posts/', { json: { title: 'Second', body: 'text' } });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 2, title: 'Second', body: 'text' });
    const form = await client.post('/api/posts/', { form: { title: 'Third', body: 'text' } });
    expect(form.status).toBe(415);
    expect((await client.get('/api/posts/9')).status).toBe(404);
  });

  it('answers allowed origins, gives others no CORS header and serves @Cors routes to all', async () => {
    const client = appOf(run('api-cors')).testClient();
    const preflight = (origin: string): Promise<flagon.TestResponse> =>
      client.options('/api/items', {
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const listed = await preflight('https://app.example.com');
    expect(listed.status).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(listed.headers['access-control-max-age']).toBe('600');
    const matched = await preflight('https://shop.example.com');
    expect(matched.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const other = await preflight('https://example.org');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const open = await client.get('/public/status', { headers: { origin: 'https://example.org' } });
    expect(open.json()).toEqual({ ok: true });
    expect(open.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('docs/database.md samples, run', () => {
  it('the migration makes usernames unique regardless of case, and down() drops the table', async () => {
    const sample = run('database-migration');
    type Migration = (db: Kysely<unknown>) => Promise<void>;
    const app = makeTestApp([flagon.DatabaseModule.configure({ url: 'sqlite::memory:' })]);
    await app.init();
    const db = app.resolve<Kysely<{ users: { username: string } }>>(flagon.DATABASE);
    await exported<Migration>(sample, 'up')(db as Kysely<unknown>);
    await db.insertInto('users').values({ username: 'Ada' }).execute();
    const duplicate = await db
      .insertInto('users')
      .values({ username: 'ada' })
      .execute()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(flagon.isUniqueViolation(duplicate)).toBe(true);
    await exported<Migration>(sample, 'down')(db as Kysely<unknown>);
    // Matched by message: better-sqlite3's error class belongs to the first test file that loaded
    // the addon in this process, so it is no `Error` of this file's realm for `toThrow`.
    await expect(db.selectFrom('users').selectAll().execute()).rejects.toMatchObject({
      message: expect.stringMatching(/no such table/) as unknown,
    });
    await app.close();
  });

  it("runInTransaction keeps both services' writes, or neither when the second fails", async () => {
    const sample = run('database-run-in-transaction');
    const app = makeTestApp([flagon.DatabaseModule.configure({ url: 'sqlite::memory:' })]);
    await app.init();
    const db = app.resolve<Kysely<{ posts: { id: number }; audit: { post_id: number } }>>(
      flagon.DATABASE,
    );
    await sql`create table posts (id integer primary key autoincrement, author_id integer,
      title text, body text, created text)`.execute(db);
    // The audit refuses a second post, so the second publish fails after its post was written.
    await sql`create table audit (post_id integer check (post_id < 2), action text)`.execute(db);
    const publishing = app.resolve(
      exported<new () => { publish(author: number, title: string, body: string): Promise<number> }>(
        sample,
        'Publishing',
      ),
    );
    await expect(publishing.publish(1, 'First', 'text')).resolves.toBe(1);
    await expect(publishing.publish(1, 'Second', 'text')).rejects.toMatchObject({
      message: expect.stringMatching(/CHECK constraint/) as unknown,
    });
    expect(await db.selectFrom('posts').select('id').execute()).toEqual([{ id: 1 }]);
    expect(await db.selectFrom('audit').select('post_id').execute()).toEqual([{ post_id: 1 }]);
    await app.close();
  });
});
