// Medians per (framework, scenario) over the rounds of a run, each round's req/s also taken as a
// ratio to raw node:http in the same round. Shared by run.mjs (the report) and ratio-chart.mjs.

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarise(samples) {
  const rows = new Map();
  for (const sample of samples) {
    const raw = samples.find((other) => other.round === sample.round && other.scenario === sample.scenario && other.target === 'raw');
    const key = `${sample.target}/${sample.scenario}`;
    const row = rows.get(key) ?? { target: sample.target, scenario: sample.scenario, samples: [] };
    row.samples.push({ ...sample, ratio: raw ? sample.rps / raw.rps : Number.NaN });
    rows.set(key, row);
  }
  return [...rows.values()].map((row) => {
    const of = (field) => median(row.samples.map((sample) => sample[field]));
    return {
      target: row.target,
      scenario: row.scenario,
      rps: of('rps'),
      ratio: of('ratio'),
      p99: of('latencyP99'),
      rssMb: of('rssMb'),
      startupMs: of('startupMs'),
      serverCpu: of('serverCpu'),
      generatorCpu: Math.max(...row.samples.map((sample) => sample.generatorCpu)),
      failures: row.samples.reduce((sum, sample) => sum + sample.wrong + sample.errors + sample.timeouts, 0),
    };
  });
}
