// `npm run bench`: Flagon against raw node:http and its peers, scenario by scenario.
//
// Method (see BENCHMARKS.md): each (framework, scenario) server is a fresh process pinned to core 0;
// autocannon runs in its own process pinned to core 1. Per job: spawn → first correct response
// (startup), a warm-up, then the measured run; RSS is read after the load. Rounds run every job in
// a new random order, ratios are taken against raw node:http in the same round, and the report
// gives medians over rounds.
//
// Environment: BENCH_DURATION (s per measured run, default 2), BENCH_WARMUP (s, default 0.5),
// BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 100), BENCH_TARGETS / BENCH_SCENARIOS
// (comma-separated filters), BENCH_SKIP_BUILD=1 (reuse dist/), BENCH_OUTPUT (file whose results
// section is rewritten, default BENCHMARKS.md; "none" to only print), BENCH_LABEL (shown in the report),
// BENCH_CHECK=1 (start every job and check its first response, no load).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchDir, build, filterByName, fmt, repo } from './lib/harness.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { firstResponse, isExpected } from './lib/responses.mjs';
import { spawnServer } from './lib/spawn-server.mjs';
import { writeRatioChart } from './lib/ratio-chart.mjs';
import { summarise, versus } from './lib/summary.mjs';
import { TARGETS } from './targets.mjs';

const env = process.env;
const settings = {
  // 74 jobs × 3 rounds × (3 + 2 s + ~1.5 s of spawn and checks) ≈ 25 minutes for the default run.
  duration: Number(env.BENCH_DURATION ?? 2),
  // Flagon's error path takes ~3 s of load to reach its steady state (JIT): a shorter warm-up measures the warm-up.
  warmup: Number(env.BENCH_WARMUP ?? 3),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  connections: Number(env.BENCH_CONNECTIONS ?? 100),
};
const output = env.BENCH_OUTPUT ?? 'BENCHMARKS.md';
const isSmoke = settings.rounds < 3 || settings.duration < 2;
const label = env.BENCH_LABEL ?? (isSmoke ? 'smoke run: too short to quote' : 'full run');

const REPORTED_PACKAGES = [
  'fastify',
  'express',
  'koa',
  '@koa/router',
  'hono',
  '@hono/node-server',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'routing-controllers',
  'find-my-way',
  'tsyringe',
  'autocannon',
];
const wrkVersion = () => {
  try {
    execFileSync('wrk', ['-v'], { encoding: 'utf8' });
  } catch (error) {
    return /wrk (\S+)/.exec(String(error.stdout))?.[1] ?? 'unknown';
  }
  return 'unknown';
};

const targets = filterByName(TARGETS, env.BENCH_TARGETS);
const scenarios = filterByName(SCENARIOS, env.BENCH_SCENARIOS);

const canPin = availableParallelism() >= 2 && hasTaskset();
// wrk (C, Debian's package) when installed: autocannon saturates its core near 35k req/s here, so
// with it the fastest servers' ratios would measure the generator.
const generator = env.BENCH_GENERATOR ?? (hasCommand('wrk', ['-v']) ? 'wrk' : 'autocannon');
const pin = (core, command, args) =>
  canPin ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];

function hasTaskset() {
  return hasCommand('taskset', ['-V']);
}

function hasCommand(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `wrk -v` prints its version and exits 1: it exists unless spawning failed.
    return error.code !== 'ENOENT' && error.status !== 127 && error.status !== undefined;
  }
}

/** Flagon's own dependencies, reported as Flagon has them (a peer may bundle another version). */
const FLAGON_PACKAGES = new Set(['find-my-way', 'tsyringe']);

function packageVersion(name) {
  const home = FLAGON_PACKAGES.has(name) ? repo : benchDir;
  try {
    return JSON.parse(readFileSync(join(home, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'not installed';
  }
}

function hasScenario(target, scenario) {
  if (target.skip?.includes(scenario.name)) return false;
  const base = join(benchDir, 'frameworks', target.dir, scenario.module ?? scenario.name);
  return existsSync(`${base}.mjs`) || existsSync(`${base}.ts`);
}

/** Spawns a server and waits for its port and a first correct response; returns the startup time. */
async function startServer(target, scenario) {
  const startedAt = performance.now();
  const [command, args] = pin(0, process.execPath, [
    join(repo, target.entry),
    ...(target.args ?? []),
  ]);
  const { child, port } = await spawnServer(command, args, {
    target,
    scenario,
    cwd: repo,
    env,
    timeoutMs: 60_000,
  });
  let first;
  try {
    first = await firstResponse(port, scenario);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const { response, headers } = first;
  const startupMs = performance.now() - startedAt;
  if (!isExpected(response, scenario)) {
    child.kill('SIGKILL');
    throw new Error(
      `${target.name}/${scenario.name}: unexpected response ${response.status} ${response.text.slice(0, 200)}`,
    );
  }
  return { child, port, startupMs, headers };
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Runs the load generator in its own pinned process; resolves with its JSON result. */
function load(port, scenario, headers, duration) {
  const { path, method, body } = scenario.request;
  const options = {
    url: `http://127.0.0.1:${port}${path}`,
    method,
    headers,
    body,
    connections: settings.connections,
    duration,
    expectStatus: scenario.expected.status,
  };
  const [command, args] = pin(1, process.execPath, [
    join(benchDir, generator === 'wrk' ? 'lib/wrk.mjs' : 'lib/load.mjs'),
    JSON.stringify(options),
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim().split('\n').at(-1)))
        : reject(new Error(`${generator} exited with ${code}`)),
    );
  });
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function runJob(target, scenario) {
  const { child, port, startupMs, headers } = await startServer(target, scenario);
  try {
    if (settings.warmup > 0) await load(port, scenario, headers, settings.warmup);
    const cpuBefore = cpuSeconds(child.pid);
    const wallBefore = performance.now();
    const result = await load(port, scenario, headers, settings.duration);
    const serverCpu =
      (cpuSeconds(child.pid) - cpuBefore) / ((performance.now() - wallBefore) / 1000);
    // Responses of another class than the expected one (the invalid POST expects 4xx).
    const wrong =
      scenario.expected.status >= 400 ? result.requests - result.status4xx : result.non2xx;
    return { ...result, wrong, startupMs, serverCpu, rssMb: rssMb(child.pid) };
  } finally {
    await stopServer(child);
  }
}

function shuffle(list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function machineInfo() {
  const model = cpus()[0]?.model ?? 'unknown';
  return [
    `- CPU: ${model}; nproc ${availableParallelism()}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${process.platform} ${process.arch}`,
    `- Node ${process.version}; pinning: ${canPin ? `server on core 0, ${generator} on core 1 (taskset)` : 'NONE (taskset or a second core missing)'}`,
    `- Packages: ${REPORTED_PACKAGES.map((name) => `${name} ${packageVersion(name)}`).join(', ')}${generator === 'wrk' ? `, wrk ${wrkVersion()}` : ''}`,
    `- Run: ${new Date().toISOString()}; ${settings.rounds} round(s) × ${settings.duration} s measured after ${settings.warmup} s warm-up; ${settings.connections} connections, no pipelining`,
  ].join('\n');
}

/** A framework's name as the report shows it. */
const titleOf = (name) => TARGETS.find((target) => target.name === name)?.title ?? name;

function renderReport(samples, failures) {
  const summary = summarise(samples);
  const lines = [
    `### Results (${label})`,
    '',
    machineInfo(),
    '',
    '![req/s as a ratio to raw node:http, per scenario and framework](bench/ratios.svg)',
    '',
  ];
  for (const scenario of scenarios) {
    const rows = summary
      .filter((row) => row.scenario === scenario.name)
      .sort((a, b) => b.rps - a.rps);
    if (rows.length === 0) continue;
    lines.push(
      `#### ${scenario.title}`,
      '',
      '| framework | req/s | × raw node:http (lowest–highest round) | p99 ms | RSS after load MB | server CPU | generator CPU (max) | failed requests |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of rows) {
      lines.push(
        `| ${titleOf(row.target)} | ${fmt(row.rps)} | ${fmt(row.ratio, 2)} (${fmt(row.ratioMin, 2)}–${fmt(row.ratioMax, 2)}) | ${fmt(row.p99, 1)} | ${fmt(row.rssMb)} | ${fmt(row.serverCpu * 100)} % | ${fmt(row.generatorCpu * 100)} % | ${row.failures} |`,
      );
    }
    lines.push('');
  }
  const startupScenario = (name) => (target) =>
    summary.find((row) => row.target === target.name && row.scenario === name)?.startupMs;
  lines.push(
    '#### Startup (spawn → first correct response, median ms)',
    '',
    '| framework | hello app | 2000 routes |',
    '| --- | ---: | ---: |',
  );
  for (const target of targets)
    lines.push(
      `| ${target.title} | ${fmt(startupScenario('hello')(target))} | ${fmt(startupScenario('routes')(target))} |`,
    );
  lines.push(
    '',
    ...renderVersus(samples, 'flagon', 'fastify'),
    '',
    ...renderVersus(samples, 'flagon', 'fastify-defaults'),
  );
  const saturated = summary.filter((row) => row.generatorCpu > 0.9);
  lines.push(
    '',
    saturated.length === 0
      ? `Generator check: ${generator} stayed below 90 % of its core in every run, so the servers set the pace.`
      : `Generator check: ${generator} used over 90 % of its core for ${saturated.map((row) => `${row.target}/${row.scenario}`).join(', ')}; those numbers are capped by the generator.`,
  );
  const starved = summary.filter((row) => row.serverCpu < 0.8);
  if (starved.length > 0) {
    lines.push(
      '',
      `Contention check: the server used under 80 % of its core in ${starved.length} of ${summary.length} rows: the machine was busy (or the server waited on something), so those ratios are not comparable.`,
    );
  }
  if (failures.length > 0)
    lines.push(
      '',
      'Jobs that failed (no numbers):',
      '',
      ...failures.map((failure) => `- ${failure}`),
    );
  return lines.join('\n');
}

/** Flagon's req/s over a peer's, round by round: what the "≥ Fastify" targets are read from. */
function renderVersus(samples, target, peer) {
  const rows = versus(samples, target, peer);
  if (rows.length === 0) return [];
  const lines = [
    `#### ${titleOf(target)} ÷ ${titleOf(peer)}, same round`,
    '',
    '| scenario | median | lowest – highest | rounds |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const scenario of scenarios) {
    const row = rows.find((candidate) => candidate.scenario === scenario.name);
    if (row)
      lines.push(
        `| ${scenario.name} | ${fmt(row.median, 2)} | ${fmt(row.min, 2)} – ${fmt(row.max, 2)} | ${row.rounds} |`,
      );
  }
  return lines;
}

function writeReport(report) {
  if (output === 'none') return;
  const file = join(repo, output);
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${start}\n${end}\n`;
  const block = `${start}\n${report}\n${end}`;
  const next =
    text.includes(start) && text.includes(end)
      ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => block)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  console.log(`results written to ${output}`);
}

/** BENCH_CHECK=1: start every job once, check its first response, no load (a quick harness test). */
async function check(jobs) {
  let failed = 0;
  for (const { target, scenario } of jobs) {
    try {
      const { child, startupMs } = await startServer(target, scenario);
      await stopServer(child);
      console.log(
        `ok   ${target.name.padEnd(20)} ${scenario.name.padEnd(8)} startup ${fmt(startupMs)} ms`,
      );
    } catch (error) {
      failed++;
      console.log(
        `FAIL ${target.name.padEnd(20)} ${scenario.name.padEnd(8)} ${error.message.split('\n').slice(0, 3).join(' | ')}`,
      );
    }
  }
  if (failed > 0) process.exitCode = 1;
}

async function main() {
  build(env);
  const jobs = targets.flatMap((target) =>
    scenarios
      .filter((scenario) => hasScenario(target, scenario))
      .map((scenario) => ({ target, scenario })),
  );
  if (env.BENCH_CHECK === '1') return check(jobs);
  // Spawn, first-response check, two autocannon processes and the stop add about 1.5 s per job.
  const perJob = settings.warmup + settings.duration + 1.5;
  console.log(
    `${jobs.length} jobs × ${settings.rounds} rounds ≈ ${Math.ceil((jobs.length * settings.rounds * perJob) / 60)} min (${label})`,
  );
  const samples = [];
  const failures = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const { target, scenario } of shuffle(jobs)) {
      let result;
      try {
        result = await runJob(target, scenario);
      } catch (error) {
        // One broken peer must not cost the rest of a long run: report it and go on.
        failures.push(
          `round ${round} ${target.name}/${scenario.name}: ${error.message.split('\n')[0]}`,
        );
        console.error(failures.at(-1));
        continue;
      }
      samples.push({ round, target: target.name, scenario: scenario.name, ...result });
      console.log(
        `round ${round} ${target.name.padEnd(20)} ${scenario.name.padEnd(7)} ${fmt(result.rps).padStart(7)} req/s  p99 ${fmt(result.latencyP99, 1)} ms  startup ${fmt(result.startupMs)} ms  rss ${fmt(result.rssMb)} MB  server cpu ${fmt(result.serverCpu * 100)} %  ${generator} cpu ${fmt(result.generatorCpu * 100)} %`,
      );
    }
  }
  const resultsDir = join(benchDir, '.results');
  mkdirSync(resultsDir, { recursive: true });
  const finishedAt = `${new Date().toISOString().slice(0, 16)} UTC`;
  writeFileSync(
    join(resultsDir, 'latest.json'),
    JSON.stringify({ settings, label, finishedAt, samples, failures }, null, 2),
  );
  const report = renderReport(samples, failures);
  console.log(`\n${report}`);
  writeReport(report);
  // The chart goes with the report it illustrates: not for runs that write no report.
  if (output !== 'none')
    writeRatioChart(
      benchDir,
      samples,
      scenarios,
      targets,
      `req/s × raw node:http (median of ${settings.rounds} rounds; ${label}, ${finishedAt})`,
    );
}

await main();
