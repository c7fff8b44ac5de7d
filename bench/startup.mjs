// Times createApp + init for one scenario's Flagon module, in-process, phase by phase:
//   node bench/startup.mjs [scenario]   (after `npm run build` and the bench tsc step)
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const repo = join(import.meta.dirname, '..');
const scenario = process.argv[2] ?? 'routes';
// CPU time as well as wall time: on a shared machine the CPU time of this process is the steadier one.
let mark = performance.now();
let cpuMark = process.cpuUsage();
const lap = (label) => {
  const now = performance.now();
  const cpu = process.cpuUsage(cpuMark);
  console.log(
    `${label.padEnd(28)} ${(now - mark).toFixed(1).padStart(8)} ms wall ${((cpu.user + cpu.system) / 1000).toFixed(1).padStart(8)} ms cpu`,
  );
  mark = now;
  cpuMark = process.cpuUsage();
};
const { createApp } = require(join(repo, 'dist/cjs/index.js'));
lap('require flagon');
const { ScenarioModule } = require(join(repo, 'bench/dist/frameworks/flagon', scenario));
lap(`require ${scenario} module`);
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
lap('createApp');
await app.init();
lap('init');
