// Soak test (not part of `npm test`): the sample app under steady mixed traffic for a bounded time,
// reporting requests, errors (there must be none) and the server's RSS over time (flat after the
// warm-up: growth under 10 %, measured right after a full GC; RSS as found and the V8 heap are
// reported beside it). `node bench/soak.mjs`.
//
// Settings: SOAK_SECONDS (default 180), SOAK_USERS (concurrent simulated users, default 8),
// SOAK_SAMPLE_SECONDS (RSS sampling period, default 5), SOAK_WARMUP_SECONDS (default: a sixth of the
// run, at least 10), SOAK_REDIS_URL (run the app on the Redis session store, e.g.
// redis://127.0.0.1:6379; signed cookies otherwise), SOAK_TS_NODE=1 (run the sources under ts-node
// instead of the compiled app, whose RSS then includes the TypeScript compiler), SOAK_OUTPUT (the file whose soak section is
// rewritten, default docs/performance-notes.md; `none` only prints). Exits 1 on any error or on growth of the
// after-GC RSS of 10 % or more.
//
// Each user registers, logs in, then loops: index, hello, API list, API create (JSON + X-CSRF-Token),
// API show, edit form + update, create form + create, then deletes both posts (the database stays
// small, so the pages do not grow with the run); every 25 loops it logs out and in again.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const seconds = Number(env.SOAK_SECONDS ?? 180);
const users = Number(env.SOAK_USERS ?? 8);
const sampleSeconds = Number(env.SOAK_SAMPLE_SECONDS ?? 5);
const warmupSeconds = Number(env.SOAK_WARMUP_SECONDS ?? Math.max(10, Math.round(seconds / 6)));
const redisUrl = env.SOAK_REDIS_URL ?? '';
const output = env.SOAK_OUTPUT ?? 'docs/performance-notes.md';
const MAX_GROWTH = 0.1;
const isTsNode = env.SOAK_TS_NODE === '1';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (isOpen) return;
    if (child.exitCode !== null) throw new Error('the sample app exited during start-up');
    if (Date.now() > deadline)
      throw new Error(`the sample app did not listen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The resident set size of a process, in MiB, from /proc. */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

// ---- the server ----------------------------------------------------------------------------------

/**
 * Compiles the sample app as a deployment would (tsc, decorator metadata kept) to dist/sample-app,
 * with its templates and static files beside it (the app's root is the compiled main.js's folder).
 */
function buildSampleApp() {
  const outDir = join(root, 'dist', 'sample-app');
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'sample-app/tsconfig.build.json'),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  for (const folder of ['templates', 'static'])
    cpSync(join(root, 'sample-app', folder), join(outDir, 'sample-app', folder), {
      recursive: true,
    });
  return join(outDir, 'sample-app', 'main.js');
}

const probe = ['--expose-gc', '-r', join(root, 'bench/lib/heap-probe.cjs')];
const entry = [
  ...probe,
  ...(isTsNode
    ? ['-r', 'ts-node/register/transpile-only', join('sample-app', 'main.ts')]
    : [buildSampleApp()]),
];
const dataDir = mkdtempSync(join(tmpdir(), 'flagon-soak-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let serverOutput = '';
const server = spawn(process.execPath, entry, {
  cwd: root,
  env: {
    ...env,
    PORT: String(port),
    DATABASE: join(dataDir, 'blog.sqlite'),
    NODE_ENV: 'production',
    SECRET_KEY: 'soak-secret-key-not-for-production-use',
    ...(redisUrl ? { SESSION_REDIS_URL: redisUrl } : {}),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const keep = (chunk) => (serverOutput = (serverOutput + chunk.toString('utf8')).slice(-20_000));
server.stdout.on('data', keep);
// heap-probe lines answer the SIGUSR2 of a sample; everything else is kept for error reports.
const probeWaiters = [];
let stderrLine = '';
server.stderr.on('data', (chunk) => {
  stderrLine += chunk.toString('utf8');
  const lines = stderrLine.split('\n');
  stderrLine = lines.pop();
  for (const line of lines) {
    if (line.startsWith('heap-probe '))
      probeWaiters.shift()?.(JSON.parse(line.slice('heap-probe '.length)));
    else keep(`${line}\n`);
  }
});

/** Memory right after a full garbage collection in the server (see bench/lib/heap-probe.cjs). */
function afterFullGc() {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    probeWaiters.push((usage) => {
      clearTimeout(timer);
      resolve(usage);
    });
    server.kill('SIGUSR2');
  });
}

function stopServer() {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
}
process.on('exit', stopServer);

try {
  await waitForPort(port, server, 120_000);
} catch (error) {
  console.error(`${error.message}\n${serverOutput}`);
  stopServer();
  process.exit(1);
}

// ---- the traffic ---------------------------------------------------------------------------------

const counts = new Map(); // step -> { requests, errors }
const errorSamples = [];
let totalRequests = 0;
let totalErrors = 0;

function record(step, isError, detail) {
  const entry = counts.get(step) ?? { requests: 0, errors: 0 };
  entry.requests++;
  totalRequests++;
  if (isError) {
    entry.errors++;
    totalErrors++;
    if (errorSamples.length < 10) errorSamples.push(`${step}: ${detail}`);
  }
  counts.set(step, entry);
}

/** A simulated browser: its own cookies (kept by hand: the production cookie is Secure, and this is plain HTTP) and CSRF token. */
class User {
  constructor(name) {
    this.name = name;
    this.password = `pw-${name}`;
    this.cookies = new Map();
    this.csrf = '';
  }

  async request(step, path, { method = 'GET', form, json, expect }) {
    const headers = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ ...form, csrf_token: this.csrf }).toString();
    } else if (json) {
      headers['content-type'] = 'application/json';
      headers['x-csrf-token'] = this.csrf;
      body = JSON.stringify(json);
    }
    let res;
    let text;
    try {
      res = await fetch(base + path, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: globalThis.AbortSignal.timeout(30_000),
      });
      text = await res.text();
    } catch (error) {
      record(step, true, error.message);
      return undefined;
    }
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    const isError = res.status !== expect;
    record(
      step,
      isError,
      `${method} ${path} -> ${res.status} (expected ${expect}) ${text.slice(0, 200)}`,
    );
    return isError
      ? undefined
      : { status: res.status, text, location: res.headers.get('location') };
  }

  async logIn() {
    await this.request('login page', '/auth/login', { expect: 200 });
    await this.request('login', '/auth/login', {
      method: 'POST',
      form: { username: this.name, password: this.password },
      expect: 302,
    });
  }

  async register() {
    await this.request('register page', '/auth/register', { expect: 200 });
    await this.request('register', '/auth/register', {
      method: 'POST',
      form: { username: this.name, password: this.password },
      expect: 302,
    });
    await this.logIn();
  }

  async loop(iteration) {
    await this.request('index', '/', { expect: 200 });
    await this.request('hello', '/hello', { expect: 200 });
    await this.request('api list', '/api/posts', { expect: 200 });
    const created = await this.request('api create', '/api/posts', {
      method: 'POST',
      json: { title: `api ${this.name} ${iteration}`, body: 'Soaking.' },
      expect: 201,
    });
    const apiId = created ? JSON.parse(created.text).id : undefined;
    if (apiId !== undefined) {
      await this.request('api show', `/api/posts/${apiId}`, { expect: 200 });
      await this.request('edit page', `/${apiId}/update`, { expect: 200 });
      await this.request('update', `/${apiId}/update`, {
        method: 'POST',
        form: { title: `edited ${this.name} ${iteration}`, body: 'Still soaking.' },
        expect: 302,
      });
      await this.request('delete', `/${apiId}/delete`, { method: 'POST', form: {}, expect: 302 });
    }
    const title = `form ${this.name} ${iteration}`;
    await this.request('create page', '/create', { expect: 200 });
    await this.request('create', '/create', {
      method: 'POST',
      form: { title, body: 'From the form.' },
      expect: 302,
    });
    const list = await this.request('api list', '/api/posts', { expect: 200 });
    const formPost = list
      ? JSON.parse(list.text).posts.find((post) => post.title === title)
      : undefined;
    if (formPost)
      await this.request('delete', `/${formPost.id}/delete`, {
        method: 'POST',
        form: {},
        expect: 302,
      });
    else record('find created post', true, `${title} not in /api/posts`);
    if (iteration % 25 === 24) {
      await this.request('logout', '/auth/logout', { expect: 302 });
      await this.logIn();
    }
  }
}

const startedAt = Date.now();
const endsAt = startedAt + seconds * 1000;
const samples = [];
const MiB = 1024 * 1024;
const sample = async () => {
  const t = Math.round((Date.now() - startedAt) / 1000);
  const rss = rssMiB(server.pid);
  const collected = await afterFullGc();
  samples.push({
    t,
    rss,
    gcRss: collected ? collected.rss / MiB : NaN,
    heap: collected ? collected.heapUsed / MiB : NaN,
  });
};
await sample();
const sampler = setInterval(sample, sampleSeconds * 1000);

const runId = Date.now().toString(36);
await Promise.all(
  Array.from({ length: users }, async (_, index) => {
    const user = new User(`soak-${runId}-${index}`);
    await user.register();
    for (let iteration = 0; Date.now() < endsAt; iteration++) await user.loop(iteration);
  }),
);
clearInterval(sampler);
await sample();
const elapsed = (Date.now() - startedAt) / 1000;

stopServer();
await new Promise((resolve) =>
  server.exitCode !== null ? resolve() : server.once('exit', resolve),
);
rmSync(dataDir, { recursive: true, force: true });

// ---- the report ----------------------------------------------------------------------------------

// One sample can land on either side of a garbage collection, so the first and the last third of
// the samples after the warm-up are compared by their medians.
const steady = samples.filter((entry) => entry.t >= warmupSeconds);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};
const third = Math.max(1, Math.floor(steady.length / 3));
/** Median of the first third of the steady samples → of the last third, and the relative growth. */
function growthOf(field) {
  const baseline = median(steady.slice(0, third).map((entry) => entry[field]));
  const final = median(steady.slice(-third).map((entry) => entry[field]));
  return {
    baseline,
    final,
    growth: (final - baseline) / baseline,
    peak: Math.max(...steady.map((entry) => entry[field])),
  };
}
const asFound = growthOf('rss');
const afterGc = growthOf('gcRss');
const heap = growthOf('heap');
// The bound applies to RSS after a full collection: RSS as found swings by half its size with the
// collector's sawtooth (it is reported too), so two thirds of a run can differ by luck alone.
const isGrowthOk = Number.isFinite(afterGc.growth) && afterGc.growth < MAX_GROWTH;
const isOk = totalErrors === 0 && isGrowthOk;
const mib = (value) => value.toFixed(1);
function describeGrowth({ baseline, final, growth, peak }) {
  return `${mib(baseline)} MiB → ${mib(final)} MiB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %, peak ${mib(peak)} MiB)`;
}

const lines = [
  `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${seconds} s` +
    `${seconds < 180 ? ' (short validation run: quote the 3-minute one)' : ''}, ${users} users, ` +
    `sessions in ${redisUrl ? 'Redis' : 'signed cookies'}; ${isTsNode ? 'the sample app runs under ts-node (transpile-only), which its RSS includes' : 'the sample app compiled with tsc (sample-app/tsconfig.build.json), as deployed'}.`,
  '',
  `- **Requests:** ${totalRequests} (${Math.round(totalRequests / elapsed)}/s), **errors: ${totalErrors}**` +
    `${errorSamples.length ? ` — first: ${errorSamples.map((entry) => `\`${entry.replaceAll('`', "'").replace(/\s+/g, ' ').slice(0, 160)}\``).join('; ')}` : ''}`,
  `- **RSS after a full GC** (the bound; after the ${warmupSeconds} s warm-up, median of the first third of the samples → of the last third): ${describeGrowth(afterGc)}; limit +${MAX_GROWTH * 100} %: **${isGrowthOk ? 'pass' : 'FAIL'}**`,
  `- RSS as found (wherever the collector was): ${describeGrowth(asFound)}; V8 heap used after a full GC: ${describeGrowth(heap)}`,
  '',
  '| step | requests | errors |',
  '| --- | ---: | ---: |',
  ...[...counts].map(([step, entry]) => `| ${step} | ${entry.requests} | ${entry.errors} |`),
  '',
  'Memory over time (s → RSS as found / RSS after a full GC / heap used after it, MiB):',
  '',
  '```',
  samples
    .map(
      (entry) =>
        `${String(entry.t).padStart(4)} s ${mib(entry.rss).padStart(7)} ${mib(entry.gcRss).padStart(7)} ${mib(entry.heap).padStart(7)}`,
    )
    .join('\n'),
  '```',
];
const report = lines.join('\n');
console.log(report);

if (output !== 'none') {
  const file = join(root, output);
  const start = '<!-- soak:results:start -->';
  const end = '<!-- soak:results:end -->';
  const current = readFileSync(file, 'utf8');
  const section = `${start}\n${report}\n${end}`;
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) +
      section +
      current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n## Soak\n\n\`node bench/soak.mjs\` (bench/soak.mjs; \`SOAK_SECONDS\`, default 180) runs the sample app in production mode\nunder mixed traffic from concurrent simulated users and samples the server's RSS from /proc. Errors must be 0\nand the RSS after the warm-up must grow less than 10 % (the median of the last third of the samples against\nthe median of the first third).\n\n${section}\n`;
  writeFileSync(file, next);
}
process.exit(isOk ? 0 : 1);
