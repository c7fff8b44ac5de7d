// In-process measurement of Flagon's request path, without sockets or a load generator: for
// decisions on a busy machine (pair it with `valgrind --tool=callgrind` for instruction counts).
//   node bench/micro.mjs <scenario> [requests]   (after `npm run build` and the bench tsc step)
// Prints requests per second of one core and the first response's status.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SCENARIOS } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const repo = join(import.meta.dirname, '..');
const scenario = SCENARIOS.find((candidate) => candidate.name === (process.argv[2] ?? 'hello'));
const count = Number(process.argv[3] ?? 100_000);
const { createApp } = require(join(repo, 'dist/cjs/index.js'));
const { ScenarioModule } = require(
  join(repo, 'bench/dist/frameworks/flagon', scenario.module ?? scenario.name),
);
const app = createApp({
  root: join(repo, 'bench'),
  modules: [ScenarioModule],
  config: {
    LOG_REQUESTS: false,
    LOG_LEVEL: 'warn',
    SECRET_KEY: 'bench-session-secret-0123456789abcdef',
  },
  env: false,
});
await app.init();
const handler = app.handler;
const socket = new Socket();

function once(cookie) {
  return new Promise((resolve) => {
    const req = new IncomingMessage(socket);
    req.method = scenario.request.method;
    req.url = scenario.request.path;
    req.headers = { host: 'localhost', ...scenario.request.headers, ...(cookie ? { cookie } : {}) };
    if (scenario.request.body) req.push(scenario.request.body);
    req.push(null);
    const res = new ServerResponse(req);
    res.end = function end(chunk) {
      resolve({ status: this.statusCode, cookie: this.getHeader('set-cookie'), body: chunk });
      return this;
    };
    handler(req, res);
  });
}

let cookie;
const first = await once();
if (scenario.session) cookie = [first.cookie].flat()[0]?.split(';')[0];
const check = await once(cookie);
for (let i = 0; i < 2000; i++) await once(cookie);
const started = performance.now();
const cpuStarted = process.cpuUsage();
for (let i = 0; i < count; i++) await once(cookie);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
// CPU µs per request is the steadier number on a shared machine.
const cpuPerRequest = (cpu.user + cpu.system) / count;
console.log(
  `${scenario.name}: ${Math.round((count / ms) * 1000)} req/s in-process, ${cpuPerRequest.toFixed(1)} µs CPU/request (${count} requests), status ${check.status}`,
);
