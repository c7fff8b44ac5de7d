// The load generator, run by run.mjs as its own process pinned to its own core: autocannon
// against one URL, printing one JSON line with the result and this process's own CPU use, so the
// report can show whether the generator (not the server) was the bottleneck.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
const startedCpu = process.cpuUsage();
const startedAt = performance.now();
const result = await autocannon({
  url: options.url,
  method: options.method ?? 'GET',
  headers: options.headers,
  body: options.body,
  connections: options.connections ?? 100,
  pipelining: options.pipelining ?? 1,
  duration: options.duration ?? 5,
});
const cpu = process.cpuUsage(startedCpu);
const wallMs = performance.now() - startedAt;
console.log(
  JSON.stringify({
    rps: result.requests.average,
    requests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    status4xx: result['4xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    // Fraction of one core the generator used; near 1.0 means it, not the server, set the pace.
    generatorCpu: (cpu.user + cpu.system) / 1000 / wallMs,
  }),
);
