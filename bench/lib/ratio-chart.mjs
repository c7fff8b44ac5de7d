// The ratio chart of BENCHMARKS.md: for each scenario, every framework's req/s as a ratio to raw
// node:http in the same round (medians), one horizontal bar each. Hand-written SVG: a chart of
// a few dozen bars does not need a plotting library, and the file stays reviewable as text.
//   node bench/lib/ratio-chart.mjs   (redraws bench/ratios.svg from bench/.results/latest.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarise } from './summary.mjs';

const BAR = 11;
const GAP = 3;
const GROUP_GAP = 22;
const LEFT = 210;
const WIDTH = 760;
const MAX_RATIO = 1.2;
const COLOURS = {
  flagon: '#d9480f',
  raw: '#495057',
  'raw-defaults': '#ced4da',
  fastify: '#1c7ed6',
  'fastify-defaults': '#74c0fc',
  express: '#868e96',
  koa: '#94d82d',
  hono: '#f59f00',
  'nest-express': '#ae3ec9',
  'nest-fastify': '#7048e8',
  'routing-controllers': '#12b886',
};

const escapeXml = (text) => String(text).replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Draws the chart. `scenarios`: [{ name, title }] in display order; `targets`: [{ name, title }].
 * Returns the SVG text.
 */
export function ratioChart(summary, scenarios, targets, caption) {
  const plotWidth = WIDTH - LEFT - 50;
  const x = (ratio) => LEFT + (Math.min(ratio, MAX_RATIO) / MAX_RATIO) * plotWidth;
  const parts = [];
  let y = 40;
  for (const scenario of scenarios) {
    const rows = targets
      .map((target) => ({
        target,
        row: summary.find(
          (candidate) => candidate.target === target.name && candidate.scenario === scenario.name,
        ),
      }))
      .filter(({ row }) => row !== undefined && Number.isFinite(row.ratio));
    if (rows.length === 0) continue;
    parts.push(`<text x="8" y="${y - 6}" font-weight="bold">${escapeXml(scenario.title)}</text>`);
    for (const { target, row } of rows) {
      const colour = COLOURS[target.name] ?? '#adb5bd';
      parts.push(
        `<text x="${LEFT - 6}" y="${y + BAR - 2}" text-anchor="end"${target.name === 'flagon' ? ' font-weight="bold"' : ''}>${escapeXml(target.title)}</text>`,
        `<rect x="${LEFT}" y="${y}" width="${(x(row.ratio) - LEFT).toFixed(1)}" height="${BAR}" fill="${colour}"/>`,
        `<text x="${(x(row.ratio) + 4).toFixed(1)}" y="${y + BAR - 2}">${row.ratio.toFixed(2)}</text>`,
      );
      y += BAR + GAP;
    }
    y += GROUP_GAP;
  }
  const top = 28;
  const guides = [0.5, 0.9, 1].map(
    (ratio) =>
      `<line x1="${x(ratio).toFixed(1)}" y1="${top}" x2="${x(ratio).toFixed(1)}" y2="${y - GROUP_GAP}" stroke="#adb5bd" stroke-dasharray="${ratio === 1 ? '0' : '3 3'}"/>` +
      `<text x="${x(ratio).toFixed(1)}" y="${top - 4}" text-anchor="middle">${ratio.toFixed(1)}×</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" font-family="sans-serif" font-size="10">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="14" font-size="12">${escapeXml(caption)}</text>`,
    ...guides,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes bench/ratios.svg for a run's samples. */
export function writeRatioChart(benchDir, samples, scenarios, targets, caption) {
  writeFileSync(
    join(benchDir, 'ratios.svg'),
    ratioChart(summarise(samples), scenarios, targets, caption),
  );
}

// Run directly: redraw from the last run's samples.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const benchDir = join(import.meta.dirname, '..');
  const { SCENARIOS } = await import('../scenarios.mjs');
  const { TARGETS } = await import('../targets.mjs');
  const latest = JSON.parse(readFileSync(join(benchDir, '.results', 'latest.json'), 'utf8'));
  const when = latest.finishedAt === undefined ? '' : `, ${latest.finishedAt}`;
  writeRatioChart(
    benchDir,
    latest.samples,
    SCENARIOS,
    TARGETS,
    `req/s × raw node:http (median of ${latest.settings.rounds} rounds; ${latest.label}${when})`,
  );
  console.log('bench/ratios.svg written');
}
