import 'reflect-metadata';
import { join } from 'node:path';
import { createApp, type ModuleRef } from 'flagon';

// One scenario per process (BENCH_SCENARIO), required by name so the others are never loaded.
const scenario = /^[a-z0-9-]+$/.exec(process.env['BENCH_SCENARIO'] ?? 'hello')?.[0] ?? 'hello';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the scenario is chosen at run time
const { ScenarioModule } = require(`./${scenario}`) as { ScenarioModule: ModuleRef };

/**
 * BENCH_FLAGON_CONFIG: settings merged over the defaults, as JSON, to measure what a default costs
 * (for example `{"SECURITY_HEADERS":{"content-security-policy":false}}`); unset in `npm run bench`.
 */
function extraConfig(): Record<string, unknown> {
  const text = process.env['BENCH_FLAGON_CONFIG'];
  return text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
}

async function main(): Promise<void> {
  // Request logging off, as in every other server here (Fastify's logger is off by default).
  // bench/ is the root (its templates/ folder); the secret key is the one every session scenario uses.
  const app = createApp({
    root: join(process.cwd(), 'bench'),
    modules: [ScenarioModule],
    config: {
      LOG_REQUESTS: false,
      LOG_LEVEL: 'warn',
      SECRET_KEY: 'bench-session-secret-0123456789abcdef',
      ...extraConfig(),
    },
    env: false,
  });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`listening ${port}`);
}

void main();
