// Medians per (framework, scenario) over the rounds of a run, each round's req/s also taken as a
// ratio to raw node:http in the same round. Shared by run.mjs (the report) and ratio-chart.mjs.

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `target`'s sample of the same scenario in the same round as `sample`, if it has one. */
function sameRound(samples, sample, target) {
  return samples.find(
    (other) =>
      other.round === sample.round && other.scenario === sample.scenario && other.target === target,
  );
}

export function summarise(samples) {
  const rows = new Map();
  for (const sample of samples) {
    const raw = sameRound(samples, sample, 'raw');
    const key = `${sample.target}/${sample.scenario}`;
    const row = rows.get(key) ?? { target: sample.target, scenario: sample.scenario, samples: [] };
    row.samples.push({ ...sample, ratio: raw ? sample.rps / raw.rps : Number.NaN });
    rows.set(key, row);
  }
  return [...rows.values()].map((row) => {
    const of = (field) => median(row.samples.map((sample) => sample[field]));
    const ratios = row.samples
      .map((sample) => sample.ratio)
      .filter((ratio) => Number.isFinite(ratio));
    return {
      target: row.target,
      scenario: row.scenario,
      rps: of('rps'),
      ratio: of('ratio'),
      // The spread over rounds: two frameworks whose ranges overlap are not told apart by the run.
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      p99: of('latencyP99'),
      rssMb: of('rssMb'),
      startupMs: of('startupMs'),
      serverCpu: of('serverCpu'),
      generatorCpu: Math.max(...row.samples.map((sample) => sample.generatorCpu)),
      failures: row.samples.reduce(
        (sum, sample) => sum + sample.wrong + sample.errors + sample.timeouts,
        0,
      ),
    };
  });
}

/**
 * `target`'s req/s divided by `peer`'s in the same round, per scenario: median, lowest and highest
 * over the rounds that measured both (the "≥ Fastify" targets are read from this).
 */
export function versus(samples, target, peer) {
  const byScenario = new Map();
  for (const sample of samples) {
    if (sample.target !== target) continue;
    const other = sameRound(samples, sample, peer);
    if (!other) continue;
    const quotients = byScenario.get(sample.scenario) ?? [];
    quotients.push(sample.rps / other.rps);
    byScenario.set(sample.scenario, quotients);
  }
  return [...byScenario].map(([scenario, quotients]) => ({
    scenario,
    median: median(quotients),
    min: Math.min(...quotients),
    max: Math.max(...quotients),
    rounds: quotients.length,
  }));
}
