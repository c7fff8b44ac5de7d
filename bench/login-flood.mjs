// Does a login flood slow static files? Password hashes and file reads share libuv's thread pool.
//
//   npm run build && node bench/login-flood.mjs [--logins 16] [--seconds 8] [--flagon path/to/dist/cjs/index.js]
//
// Starts a small Flagon app in a child process (a static style.css and POST /login, which verifies
// a password hashed with hashPassword's defaults), measures the static file's latency idle, then
// again while `--logins` clients post logins back to back for `--seconds`. Loopback only; every
// phase ends by time and the child is stopped at the end. `--flagon` points at another build, to
// compare two versions on the same machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    logins: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '8' },
    flagon: { type: 'string', default: new URL('../dist/cjs/index.js', import.meta.url).pathname },
    serve: { type: 'boolean', default: false },
  },
});

if (options.serve) await serve(resolve(options.flagon));
else await measure(Number(options.logins), Number(options.seconds), resolve(options.flagon));

/** The server: a static folder and a login route, on a free loopback port it prints. */
async function serve(flagonPath) {
  const flagon = createRequire(import.meta.url)(flagonPath);
  const { createApp, Module, Route, Post, Body, hashPassword, verifyPassword } = flagon;
  const root = mkdtempSync(join(tmpdir(), 'flagon-login-flood-'));
  writeFileSync(join(root, 'style.css'), 'body { color: #222; }\n'.repeat(200));
  const stored = await hashPassword('the right password');

  class LoginController {
    async login(form) {
      return { ok: await verifyPassword(String(form.password ?? ''), stored) };
    }
  }
  // Plain JavaScript: the decorators are applied by hand.
  Route('/')(LoginController);
  const descriptor = Object.getOwnPropertyDescriptor(LoginController.prototype, 'login');
  Post('/login')(LoginController.prototype, 'login', descriptor);
  Body()(LoginController.prototype, 'login', 0);
  class AppModule {}
  Module({ controllers: [LoginController] })(AppModule);

  const app = createApp({
    root,
    modules: [AppModule],
    env: false,
    config: {
      SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      LOG_REQUESTS: false,
      // A bench client posting forms, not a browser.
      CSRF_ENABLED: false,
      STATIC_FOLDER: '.',
    },
  });
  const { port } = await app.listen({ port: 0 });
  process.stdout.write(`listening ${port}\n`);
  process.once(
    'SIGTERM',
    () =>
      void app.close().then(() => {
        rmSync(root, { recursive: true, force: true });
        process.exit(0);
      }),
  );
}

function send(port, agent, method, path, body) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolvePromise({ status: res.statusCode, ms: performance.now() - started }),
        );
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? NaN;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (ms) => `${ms.toFixed(1)} ms`;
  return `n=${sorted.length}  median ${f(percentile(sorted, 0.5))}  p95 ${f(percentile(sorted, 0.95))}  max ${f(sorted.at(-1) ?? NaN)}`;
}

/** Requests the static file one after another until `until`, returning the latencies. */
async function staticLoop(port, until) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  while (performance.now() < until) {
    const { status, ms } = await send(port, agent, 'GET', '/static/style.css');
    if (status !== 200) throw new Error(`static file answered ${status}`);
    latencies.push(ms);
  }
  agent.destroy();
  return latencies;
}

async function measure(logins, seconds, flagonPath) {
  const child = spawn(
    process.execPath,
    [new URL(import.meta.url).pathname, '--serve', '--flagon', flagonPath],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const port = await new Promise((resolvePort, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening (\d+)/.exec(out);
        if (match) resolvePort(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    console.log(`Flagon: ${flagonPath}`);
    console.log(`UV_THREADPOOL_SIZE: ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);
    const idle = await staticLoop(port, performance.now() + seconds * 1000);
    console.log(`static, idle:                 ${summary(idle)}`);

    const until = performance.now() + seconds * 1000;
    const loginAgent = new Agent({ keepAlive: true, maxSockets: logins });
    const loginLatencies = [];
    const loginLoop = async () => {
      while (performance.now() < until) {
        const { ms } = await send(port, loginAgent, 'POST', '/login', 'password=wrong+password');
        loginLatencies.push(ms);
      }
    };
    const [flooded] = await Promise.all([
      staticLoop(port, until),
      ...Array.from({ length: logins }, loginLoop),
    ]);
    loginAgent.destroy();
    console.log(`static, ${String(logins).padStart(3)} concurrent logins: ${summary(flooded)}`);
    console.log(
      `logins:                       ${summary(loginLatencies)}  (${(loginLatencies.length / seconds).toFixed(1)}/s)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}
