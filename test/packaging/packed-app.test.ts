import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunningCli } from '../cli/run-cli';
import { npmInstall, packFlagon, run, tempProject, writeFiles } from './packed-flagon';

// An app run the way a scaffolded project runs it: Flagon installed from the packed tarball with
// npm (its optional peers not installed), the built app started with the package's `flagon start`.
const APP = `
const { createApp, Module } = require('flagon');

class AppModule {}
Module({})(AppModule);

exports.app = createApp({ root: __dirname + '/..', modules: [AppModule] });
`;

// Each feature whose package is an optional peer, used without that package installed.
const OPTIONAL = `
const { createApp, Module, RedisStore } = require('flagon');
const { TestClient } = require('flagon/testing');

class AppModule {}
Module({})(AppModule);

const attempts = {
  'test client': () => new TestClient(createApp({ modules: [AppModule], config: { TESTING: true } })),
  'pretty logs': () => createApp({ modules: [AppModule], config: { DEBUG: true, SECRET_KEY: 'k'.repeat(64) } }),
  'redis store': () => new RedisStore({ url: 'redis://127.0.0.1:1' }),
};
const outcomes = {};
for (const [name, attempt] of Object.entries(attempts)) {
  try {
    attempt();
    outcomes[name] = 'no error';
  } catch (error) {
    outcomes[name] = { code: error.code, message: error.message };
  }
}
console.log(JSON.stringify(outcomes));
`;

describe('an app using the packed package', () => {
  let project: string;

  beforeAll(() => {
    const { tarball } = packFlagon();
    project = tempProject('flagon-packed-app-');
    npmInstall(project, [tarball]);
    writeFiles(project, { 'dist/app.js': APP, 'optional.js': OPTIONAL });
  }, 300_000);

  afterAll(() => {
    if (project && !process.env['KEEP_TEST_ARTIFACTS'])
      rmSync(project, { recursive: true, force: true });
  });

  it('answers an HTML 404 with the built-in error page and logs no error', async () => {
    const server = new RunningCli(['start', '--port', '0'], {
      cwd: project,
      bin: join(project, 'node_modules', 'flagon', 'bin', 'flagon.js'),
      env: { FLAGON_SECRET_KEY: 'p'.repeat(64) },
    });
    try {
      const [, port] = await server.waitFor(/Listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const res = await fetch(`http://127.0.0.1:${port ?? ''}/missing`, {
        headers: { accept: 'text/html' },
      });
      const page = await res.text();
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page).toContain('<title>404 Not Found</title>');
      expect(page).not.toContain('<h1>404</h1>');
      // The request's log line comes after anything logged while answering it.
      await server.waitFor(/"path":"\/missing"/);
      expect(server.output).not.toMatch(/"level":(50|60)/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('names the package to install when a feature needs an optional peer', () => {
    const outcomes = JSON.parse(run(process.execPath, ['optional.js'], project)) as Record<
      string,
      { code: string; message: string }
    >;
    expect(outcomes).toEqual({
      'test client': {
        code: 'FLAGON_DEPENDENCY_MISSING',
        message: expect.stringContaining('"tough-cookie"') as unknown,
      },
      'pretty logs': {
        code: 'FLAGON_DEPENDENCY_MISSING',
        message: expect.stringContaining('"pino-pretty"') as unknown,
      },
      'redis store': {
        code: 'FLAGON_DEPENDENCY_MISSING',
        message: expect.stringContaining('"ioredis"') as unknown,
      },
    });
  }, 60_000);
});
