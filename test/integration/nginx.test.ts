import 'reflect-metadata';
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createApp,
  createTestDatabase,
  Get,
  Module,
  Req,
  Route,
  type FlagonApp,
  type Request,
  type TestDatabase,
} from '../../src';
import {
  ensureCommand,
  Nginx,
  nginxConfig,
  proxyDirectives,
  upstreamBlock,
} from '../support/nginx';
import {
  Child,
  CookieJar,
  freePort,
  send,
  startSampleApp,
  waitForPort,
  type HttpResult,
} from '../support/processes';

// Two instances of the sample app behind nginx (round-robin), sharing their sessions in Redis and
// their data in PostgreSQL, as docs/deployment.md describes. Needs Redis on 127.0.0.1:6379 and
// PostgreSQL on 127.0.0.1:5432 (a database of its own is created and dropped); installs nginx when missing.

@Route('/')
class ClientInfoController {
  @Get('/client')
  client(@Req() req: Request): { ip: string; protocol: string; peer: string | undefined } {
    return { ip: req.ip, protocol: req.protocol, peer: req.raw.socket.remoteAddress };
  }
}

@Module({ controllers: [ClientInfoController] })
class ClientInfoModule {}

/** The X-Upstream header nginx adds: the instance (or, after a retry, the instances) that answered. */
function upstreamOf(res: HttpResult): string {
  return String(res.headers['x-upstream']);
}

function csrfTokenOf(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no csrf-token meta tag in ${html.slice(0, 500)}`);
  return match[1];
}

describe('two sample app instances behind nginx on Redis sessions and PostgreSQL', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'flagon-nginx-'));
  const username = `nginx-${process.pid}-${Date.now()}`;
  const jar = new CookieJar();
  const instances: Child[] = [];
  const ports: number[] = [];
  let nginx: Nginx | undefined;
  let probe: FlagonApp | undefined;
  let port = 0;
  let tlsPort = 0;
  let database: TestDatabase | undefined;
  let environment: Record<string, string> = {};

  /** A request through nginx with the jar's cookies, storing the cookies it sets. */
  async function browse(
    path: string,
    options: { method?: string; form?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = { cookie: jar.header };
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await send(port, {
      method: options.method ?? 'GET',
      path,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    jar.store(res.headers);
    return res;
  }

  /** Browses `/` until nginx has sent a request to `address` again, within `timeoutMs`. */
  async function untilNginxReaches(address: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (upstreamOf(await browse('/')) === address) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`nginx did not send a request to ${address} within ${timeoutMs} ms`);
  }

  beforeAll(async () => {
    const binary = ensureCommand('nginx');
    const openssl = ensureCommand('openssl');
    await waitForPort(6379, 2000).catch((error: unknown) => {
      throw new Error('this test needs Redis on 127.0.0.1:6379', { cause: error });
    });
    // A self-signed certificate, so the probe server can show that the app sees the client's scheme.
    const certificate = spawnSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        join(prefix, 'key.pem'),
        '-out',
        join(prefix, 'cert.pem'),
      ],
      { encoding: 'utf8' },
    );
    if (certificate.status !== 0) throw new Error(`openssl failed: ${certificate.stderr}`);

    ports.push(await freePort(), await freePort());
    database = await createTestDatabase();
    environment = {
      NODE_ENV: 'production',
      SECRET_KEY: 'nginx-test-secret-key-shared-by-both-instances',
      // Both instances migrate the new database on start; the migrator's lock lets one do it.
      DATABASE_URL: database.url,
      DATABASE: join(prefix, 'blog.sqlite'),
      SESSION_REDIS_URL: 'redis://127.0.0.1:6379',
      FLAGON_TRUST_PROXY: '1',
    };
    // Both starts are awaited, failed or not, so afterAll stops whichever did start.
    const started = await Promise.allSettled(
      ports.map((instancePort) => startSampleApp({ ...environment, PORT: String(instancePort) })),
    );
    for (const [index, outcome] of started.entries())
      if (outcome.status === 'fulfilled') instances[index] = outcome.value;
    const failed = started.find(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    if (failed) throw failed.reason;

    probe = createApp({
      modules: [ClientInfoModule],
      config: { TESTING: true, TRUST_PROXY: 1 },
      env: false,
    });
    const probeAddress = await probe.listen({ port: 0 });

    port = await freePort();
    tlsPort = await freePort();
    const blocks = `
${upstreamBlock('flaskr', ports)}
  server {
    listen 127.0.0.1:${port};
    # nginx ends a client connection after keepalive_requests (default 1000) with Connection: close,
    # which autocannon ignores: it writes its next request into the closing socket and counts the
    # reset as an error. The load here passes 1000 per connection, so lift the limit for this client.
    keepalive_requests 100000;
    add_header X-Upstream $upstream_addr always;
    location / {${proxyDirectives('flaskr')}
    }
  }
${upstreamBlock('probe', [probeAddress.port])}
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${join(prefix, 'cert.pem')};
    ssl_certificate_key ${join(prefix, 'key.pem')};
    location / {${proxyDirectives('probe')}
    }
  }`;
    nginx = await Nginx.start(binary, prefix, nginxConfig(prefix, blocks), port);
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => instance.stop('SIGTERM')));
    await probe?.close();
    await database?.drop();
    rmSync(prefix, { recursive: true, force: true });
  }, 30_000);

  it('honours a login made through one instance on the other', async () => {
    const registerPage = await browse('/auth/register');
    expect(registerPage.status).toBe(200);
    // The CSRF token lives in the Redis session: whichever instance gets the POST accepts it.
    const registered = await browse('/auth/register', {
      method: 'POST',
      form: { username, password: 'correct horse', csrf_token: csrfTokenOf(registerPage.text) },
    });
    expect(registered.status).toBe(302);
    expect(registered.headers.location).toBe('/auth/login');
    const loginPage = await browse('/auth/login');
    const loggedIn = await browse('/auth/login', {
      method: 'POST',
      form: { username, password: 'correct horse', csrf_token: csrfTokenOf(loginPage.text) },
    });
    expect(loggedIn.status).toBe(302);
    expect(loggedIn.headers.location).toBe('/');
    const loginInstance = upstreamOf(loggedIn);

    const pages: HttpResult[] = [];
    for (let index = 0; index < 6; index++) pages.push(await browse('/'));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain(username);
      expect(page.text).toContain('Log Out');
    }
    // Round-robin: both instances served the logged-in pages, including the one that did not log in.
    const served = new Set(pages.map(upstreamOf));
    expect(served).toEqual(new Set(ports.map((instancePort) => `127.0.0.1:${instancePort}`)));
    expect([...served].some((upstream) => upstream !== loginInstance)).toBe(true);
  }, 60_000);

  it('keeps every acknowledged post, and writes none twice, when an instance is killed mid-write', async () => {
    const victim = 1;
    const victimAddress = `127.0.0.1:${ports[victim] ?? 0}`;
    const token = csrfTokenOf((await browse('/')).text);
    const outcomes = new Map<string, { status: number; upstream: string }>();
    let acknowledged = 0;
    let killed: Promise<number | null> | undefined;
    let acknowledgedAtKill = 0;

    // Four writers, fifteen posts each, through nginx with the logged-in session; the second
    // instance is SIGKILLed once ten posts are acknowledged, whatever it is doing then.
    const writer = async (writerIndex: number): Promise<void> => {
      for (let index = 0; index < 15; index++) {
        const title = `scale-out ${writerIndex}-${index}`;
        const res = await send(port, {
          method: 'POST',
          path: '/api/posts',
          headers: {
            cookie: jar.header,
            'content-type': 'application/json',
            'x-csrf-token': token,
          },
          body: JSON.stringify({ title, body: 'written through nginx' }),
        }).catch((error: unknown): HttpResult => ({ status: 0, headers: {}, text: String(error) }));
        outcomes.set(title, { status: res.status, upstream: String(res.headers['x-upstream']) });
        if (res.status === 201) acknowledged++;
        if (killed === undefined && acknowledged >= 10) {
          acknowledgedAtKill = acknowledged;
          killed = instances[victim]?.stop('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    await killed;

    const admin = new Client({ connectionString: database?.url });
    await admin.connect();
    let rows: { title: string; copies: number }[];
    try {
      rows = (
        await admin.query<{ title: string; copies: number }>(
          "select title, count(*)::int as copies from posts where title like 'scale-out %' group by title",
        )
      ).rows;
    } finally {
      await admin.end();
    }
    const copies = new Map(rows.map((row) => [row.title, row.copies]));
    const successes = [...outcomes].filter(([, outcome]) => outcome.status === 201);
    const upstreams = new Set(successes.map(([, outcome]) => outcome.upstream));

    expect(killed).toBeDefined();
    expect(instances[victim]?.isAlive).toBe(false);
    // Both instances took writes, and writes went on after the kill.
    expect(upstreams.has(victimAddress)).toBe(true);
    expect(successes.length).toBeGreaterThan(acknowledgedAtKill);
    // Every acknowledged post is there once; nothing is there twice (nginx does not retry a POST
    // an instance may have received, so a write cut off mid-way answers 502 instead).
    expect(successes.filter(([title]) => copies.get(title) !== 1)).toEqual([]);
    expect(rows.filter((row) => row.copies > 1)).toEqual([]);
    const failures = [...outcomes].filter(([, outcome]) => outcome.status !== 201);
    expect(failures.every(([, outcome]) => outcome.status === 502)).toBe(true);

    // The killed instance comes back on its port for the tests that follow, and nginx, which marked
    // it failed (fail_timeout), sends it requests again before the next test stops the other one.
    instances[victim] = await startSampleApp({ ...environment, PORT: String(ports[victim]) });
    await untilNginxReaches(victimAddress, 20_000);
  }, 120_000);

  it('loses no request and no session when one instance stops under load', async () => {
    const [stopping, staying] = instances as [Child, Child];
    const stoppingAddress = `127.0.0.1:${ports[0] ?? 0}`;
    const seen = new Set<string>();
    let responses = 0;
    let anonymous = 0;
    let stopped: Promise<number | null> | undefined;
    // What the client saw go wrong, for the failure message (autocannon only counts errors).
    const clientErrors: string[] = [];
    const options: autocannon.Options = {
      url: `http://127.0.0.1:${port}`,
      connections: 8,
      duration: 5,
      requests: [
        {
          method: 'GET',
          path: '/',
          headers: { cookie: jar.header },
          onResponse: (status, body, _context, headers) => {
            responses++;
            if (status !== 200 || !body.includes(username) || !body.includes('Log Out'))
              anonymous++;
            // autocannon keeps the header names' case (nginx sends X-Upstream).
            for (const [name, value] of Object.entries(headers))
              if (name.toLowerCase() === 'x-upstream') seen.add(String(value));
            // SIGTERM the first instance once the load is well under way on both.
            if (stopped === undefined && responses >= 100)
              stopped = stopping.stop('SIGTERM', 15_000);
          },
        },
      ],
    };
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const load = autocannon(options, (error, finished) =>
        error ? reject(error) : resolve(finished),
      );
      load.on('reqError', (error: Error) =>
        clientErrors.push(
          `${error.message} after ${responses} responses at ${new Date().toISOString()}`,
        ),
      );
    });
    expect(stopped).toBeDefined();
    expect(await stopped).toBe(0);
    expect(stopping.isAlive).toBe(false);
    expect(staying.isAlive).toBe(true);
    expect({
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      clientErrors,
    }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      clientErrors: [],
    });
    expect(anonymous).toBe(0);
    expect(result.requests.total).toBeGreaterThanOrEqual(100);
    expect(seen.has(stoppingAddress)).toBe(true);

    // Afterwards the other instance serves everything, and the session is still there.
    for (let index = 0; index < 4; index++) {
      const page = await browse('/');
      expect(page.status).toBe(200);
      expect(page.text).toContain(username);
    }
  }, 60_000);

  it('gives the app the real client address and scheme (TRUST_PROXY = 1)', async () => {
    // The client connects from 127.0.0.5 over TLS and claims another address; nginx connects from 127.0.0.1 over HTTP.
    const res = await send(tlsPort, {
      path: '/client',
      tls: true,
      localAddress: '127.0.0.5',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ip: '127.0.0.5', protocol: 'https', peer: '127.0.0.1' });
  }, 30_000);
});
