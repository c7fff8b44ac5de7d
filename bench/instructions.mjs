// `npm run bench:instructions`: the servers' user-space instructions per request, counted by
// valgrind (cachegrind without cache simulation). Unlike req/s, the count hardly moves when the
// machine is busy, so it separates costs a few percent apart that timed rounds on a shared
// machine cannot (BENCHMARKS.md, "Instructions per request").
//
// Method: each (framework, scenario) server runs twice under valgrind, from spawn to exit. This
// process checks its first response, then sends IR_REQUESTS[0] requests in one run and
// IR_REQUESTS[1] in the other, over 8 keep-alive connections. (count₂ − count₁) ÷ (n₂ − n₁) is
// what one more request costs the warm server: startup and warm-up cancel out. The kernel's work
// (socket reads and writes) is not counted; every server here makes one read and one write per
// request.
//
// Environment: BENCH_TARGETS (default raw,fastify,flagon), BENCH_SCENARIOS (default all),
// IR_REQUESTS (default 10000,30000), BENCH_SKIP_BUILD=1 (reuse dist/), IR_NODE_FLAGS (flags for
// the servers' node, e.g. `--single-threaded`: V8 then compiles on the main thread, so when
// optimised code arrives no longer depends on how busy the machine is). Settings such as
// BENCH_FLAGON_CONFIG reach the servers as they do in run.mjs. Needs valgrind (Debian: valgrind).
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { firstResponse, isExpected } from './lib/responses.mjs';
import { spawnServer } from './lib/spawn-server.mjs';
import { benchDir, build, filterByName, fmt, repo } from './lib/harness.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { TARGETS } from './targets.mjs';

const env = process.env;
const [fewer, more] = (env.IR_REQUESTS ?? '10000,30000').split(',').map(Number);
const CONNECTIONS = 8;
const targets = filterByName(TARGETS, env.BENCH_TARGETS ?? 'raw,fastify,flagon');
const scenarios = filterByName(SCENARIOS, env.BENCH_SCENARIOS);

if (!(fewer > 0 && more > fewer))
  throw new Error(`IR_REQUESTS must be two counts, the second larger: ${env.IR_REQUESTS}`);

/** Sends `count` requests like the scenario's over keep-alive connections; resolves with how many got another status. */
function sendMany(port, scenario, headers, count) {
  const { method, path, body } = scenario.request;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let sent = 0;
  let finished = 0;
  let wrong = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (sent === count) return;
      sent++;
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        if (res.statusCode !== scenario.expected.status) wrong++;
        res.resume();
        res.on('end', () => {
          finished++;
          if (finished < count) next();
          else {
            agent.destroy();
            resolve(wrong);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    };
    for (let connection = 0; connection < CONNECTIONS; connection++) next();
  });
}

/** Instructions the server executed from spawn to exit, serving `count` requests after the first. */
async function countInstructions(target, scenario, count) {
  const args = [
    '--tool=cachegrind',
    '--cache-sim=no',
    '--cachegrind-out-file=/dev/null',
    process.execPath,
    ...(process.env.IR_NODE_FLAGS ? process.env.IR_NODE_FLAGS.split(' ') : []),
    '--require',
    join(benchDir, 'lib/exit-on-signal.cjs'),
    join(repo, target.entry),
    ...(target.args ?? []),
  ];
  // Startup under valgrind takes tens of seconds (everything runs ~50× slower).
  const { child, port, output } = await spawnServer('valgrind', args, {
    target,
    scenario,
    cwd: repo,
    env,
    timeoutMs: 300_000,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const { response, headers } = await firstResponse(port, scenario);
    if (!isExpected(response, scenario))
      throw new Error(
        `${target.name}/${scenario.name}: unexpected response ${response.status} ${response.text.slice(0, 200)}`,
      );
    const wrong = await sendMany(port, scenario, headers, count);
    if (wrong > 0)
      throw new Error(
        `${target.name}/${scenario.name}: ${wrong} of ${count} responses had another status than ${scenario.expected.status}`,
      );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const refs = /I\s+refs:\s+([\d,]+)/.exec(output.stderr)?.[1];
  if (refs === undefined)
    throw new Error(
      `${target.name}/${scenario.name}: valgrind printed no instruction count\n${output.stderr.slice(-2000)}`,
    );
  return Number(refs.replaceAll(',', ''));
}

/** Instructions per request of one server: its two runs side by side, one per core. */
async function perRequest(target, scenario) {
  const [low, high] = await Promise.all([
    countInstructions(target, scenario, fewer),
    countInstructions(target, scenario, more),
  ]);
  return (high - low) / (more - fewer);
}

build(env);
console.log(
  `Instructions per request (valgrind cachegrind; (I(${more}) − I(${fewer})) ÷ ${more - fewer}; Node ${process.version})`,
);
const header = ['scenario', ...targets.map((target) => target.title)];
const ratioColumns = targets.some((target) => target.name === 'flagon')
  ? targets.filter((target) => target.name !== 'flagon').map((target) => `Flagon ÷ ${target.name}`)
  : [];
console.log(
  `\n| ${[...header, ...ratioColumns].join(' | ')} |\n| --- |${' ---: |'.repeat(header.length - 1 + ratioColumns.length)}`,
);
for (const scenario of scenarios) {
  const counts = new Map();
  for (const target of targets) {
    if (target.skip?.includes(scenario.name)) continue;
    try {
      counts.set(target.name, await perRequest(target, scenario));
    } catch (error) {
      console.error(error.message);
    }
  }
  const flagon = counts.get('flagon');
  const ratios =
    ratioColumns.length === 0
      ? []
      : targets
          .filter((target) => target.name !== 'flagon')
          .map((target) => fmt(flagon / counts.get(target.name), 2));
  console.log(
    `| ${scenario.name} | ${targets.map((target) => fmt(counts.get(target.name))).join(' | ')}${ratios.length ? ` | ${ratios.join(' | ')}` : ''} |`,
  );
}
