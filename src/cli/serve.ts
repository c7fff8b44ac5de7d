import type { FlagonApp } from '../app/flagon-app';
import { installSignalHandlers } from '../app/signals';
import type { CliIo } from './command';
import { loadApp } from './load-app';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** False inside a cluster worker, where runCluster installs them. */
  readonly handleSignals: boolean;
}

/** Loads the entry's app, listens, and makes SIGTERM/SIGINT close it gracefully. */
export async function serveApp(
  entry: string,
  options: ServeOptions,
  io: CliIo,
): Promise<FlagonApp> {
  const app = await loadApp(entry);
  const address = await app.listen({ port: options.port, host: options.host });
  if (options.handleSignals) installSignalHandlers(app);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.err(`Listening on http://${shownHost}:${address.port} (pid ${process.pid})`);
  return app;
}

/** `--port`, else PORT, else 3000 (the sample app's and the README's). */
export function defaultPort(): number {
  const fromEnv = Number(process.env['PORT']);
  return Number.isSafeInteger(fromEnv) &&
    fromEnv >= 0 &&
    fromEnv <= 65535 &&
    process.env['PORT'] !== ''
    ? fromEnv
    : 3000;
}

/** `--host`, else HOST, else loopback: exposing the app is a decision (`--host 0.0.0.0`). */
export function defaultHost(): string {
  return process.env['HOST'] ?? '127.0.0.1';
}
