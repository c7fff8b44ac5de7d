import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { runCluster } from '../../app/cluster';
import { integerValue, stringValue, type BuiltinCommand, type ParsedArgs } from '../command';
import { BUILT_ENTRIES, findEntry } from '../load-app';
import { defaultHost, defaultPort, serveApp } from '../serve';

const usage = `Usage: flagon start [entry] [--port N] [--host H] [--workers N|auto]

Runs the built app in production mode (NODE_ENV=production, DEBUG off).

  entry          the app module (default: dist/app.js, build/app.js or app.js; or FLAGON_APP);
                 it exports \`app\` or \`buildApp()\` and does not listen itself
  --port N       port to listen on (default: PORT or 3000; 0 picks a free one)
  --host H       address to bind (default: HOST or 127.0.0.1; 0.0.0.0 for all interfaces)
  --workers N    run N worker processes with node:cluster (SIGHUP restarts them one by one);
                 auto: one per core (os.availableParallelism())
  -h, --help     show this help`;

/** `--workers`: a count, or `auto` for one per core (gunicorn's usual advice is about that many). */
function workerCount(args: ParsedArgs): number | undefined {
  return stringValue(args, 'workers') === 'auto'
    ? availableParallelism()
    : integerValue(args, 'workers', 1, 512, usage, 'auto');
}

/**
 * `flagon start`: production mode. Production settings (SECRET_KEY …) come from the environment
 * (`FLAGON_SECRET_KEY`), so a missing secret fails here, at startup.
 */
export const startCommand: BuiltinCommand = {
  name: 'start',
  summary: 'Run the built app in production mode (--workers N for a cluster)',
  usage,
  maxPositionals: 1,
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    workers: { type: 'string', short: 'w' },
  },
  async run(args, io) {
    const port = integerValue(args, 'port', 0, 65535, usage) ?? defaultPort();
    const host = stringValue(args, 'host') ?? defaultHost();
    const workers = workerCount(args);
    const entry = findEntry(args.positionals[0], BUILT_ENTRIES, io.cwd);
    process.env['NODE_ENV'] = 'production';
    // Said once (by the primary, not by each worker), so nobody mistakes it for a dev server.
    if (cluster.isPrimary)
      io.err(
        `Starting ${relative(io.cwd, entry) || entry} in production mode (NODE_ENV=production)`,
      );
    if (workers === undefined) {
      await serveApp(entry, { port, host, handleSignals: true }, io);
      return undefined;
    }
    // Workers re-run this same command line; runCluster sees cluster.isWorker and calls `worker`.
    const primary = await runCluster({
      workers,
      worker: () => serveApp(entry, { port, host, handleSignals: false }, io),
      logger: {
        info: (_details, message) => io.err(message),
        warn: (details, message) => io.err(`${message} ${JSON.stringify(details)}`),
      },
    });
    if (primary) io.err(`Started ${workers} workers (pids ${primary.pids.join(', ')})`);
    return undefined;
  },
};
