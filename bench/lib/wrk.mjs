// The load generator when Debian's `wrk` is installed (the default then): a C program that, on one
// core, generates several times the load autocannon can, so ratios near 1.0 measure the servers
// rather than the generator. Same contract as load.mjs: one JSON line with the result and wrk's own
// CPU use. Run by run.mjs as its own process, pinned to its own core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const options = JSON.parse(process.argv[2] ?? '{}');
const lua = (value) => JSON.stringify(value); // a JSON string literal is a valid Lua string literal here (ASCII)

// wrk counts responses with a status of 400 or more itself (errors.status). Only a scenario that
// expects 4xx needs them told apart from 5xx, which takes a Lua call per response (several times
// wrk's own cost per request): only that scenario gets the response() counter.
const countsClientErrors = options.expectStatus >= 400;
const script = `
wrk.method = ${lua(options.method ?? 'GET')}
${options.body === undefined ? '' : `wrk.body = ${lua(options.body)}`}
${Object.entries(options.headers ?? {})
  .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(String(value))}`)
  .join('\n')}
local threads = {}
function setup(thread) table.insert(threads, thread) end
${
  countsClientErrors
    ? `function init(args) client_errors = 0 end
function response(status, headers, body)
  if status >= 400 and status < 500 then client_errors = client_errors + 1 end
end`
    : ''
}
function done(summary, latency, requests)
  local total_4xx = 0
  ${countsClientErrors ? 'for _, thread in ipairs(threads) do total_4xx = total_4xx + thread:get("client_errors") end' : ''}
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"atLeast400":%d,"status4xx":%d,"socketErrors":%d,"timeouts":%d,"latencyP50":%.3f,"latencyP99":%.3f}\\n',
    summary.requests, summary.duration, e.status, total_4xx, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`;

const dir = mkdtempSync(join(tmpdir(), 'flagon-wrk-'));
const scriptFile = join(dir, 'load.lua');
writeFileSync(scriptFile, script);
const startedCpu = readChildrenCpu();
const startedAt = performance.now();
const child = spawn(
  'wrk',
  [
    '-t1',
    `-c${options.connections ?? 100}`,
    `-d${wholeSeconds(options.duration ?? 5)}s`,
    '--timeout',
    '10s',
    '-s',
    scriptFile,
    options.url,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let stdout = '';
child.stdout.on('data', (chunk) => (stdout += chunk));
const code = await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
if (code !== 0) {
  console.error(stdout);
  process.exit(1);
}
const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"requests"'));
if (!line) {
  console.error(`wrk printed no result:\n${stdout}`);
  process.exit(1);
}
const result = JSON.parse(line);
const wallMs = performance.now() - startedAt;
const cpuMs = readChildrenCpu() - startedCpu;
console.log(
  JSON.stringify({
    rps: result.requests / (result.durationUs / 1e6),
    requests: result.requests,
    latencyP50: result.latencyP50,
    latencyP99: result.latencyP99,
    // 1xx and 3xx are not expected by any scenario: what is under 400 counts as 2xx.
    ok: result.requests - result.atLeast400,
    non2xx: result.atLeast400,
    status4xx: result.status4xx,
    errors: result.socketErrors,
    timeouts: result.timeouts,
    // Fraction of one core wrk used; near 1.0 means it, not the server, set the pace.
    generatorCpu: cpuMs / wallMs,
  }),
);

/** wrk takes whole seconds only: a 0.5 s warm-up runs for 1 s. */
function wholeSeconds(seconds) {
  return Math.max(1, Math.round(seconds));
}

/** CPU ms (user + system) of this process's waited-for children (wrk), from /proc/self/stat. */
function readChildrenCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // cutime and cstime, in clock ticks (100 per second on Linux).
  return ((Number(fields[13]) + Number(fields[14])) / 100) * 1000;
}
