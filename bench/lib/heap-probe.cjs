// Preloaded into the soak's server (`node --expose-gc -r bench/lib/heap-probe.cjs …`): on SIGUSR2 it
// runs a full garbage collection and prints the memory usage as one line on stderr. The soak samples
// RSS both ways: as found (anywhere on the collector's sawtooth) and right after a full collection,
// where a leak shows as growth and the collector's timing does not.
process.on('SIGUSR2', () => {
  globalThis.gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stderr.write(`heap-probe ${JSON.stringify({ rss, heapUsed, external })}\n`);
});
