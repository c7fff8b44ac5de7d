import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { installSignalHandlers, type ClosableApp } from './signals';

/** Where the cluster reports what it does; the app's pino logger fits. */
export interface ClusterLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ClusterOptions {
  /** How many worker processes; defaults to `os.availableParallelism()`. */
  readonly workers?: number;
  /**
   * The file each worker runs (it creates the app, listens and calls `installSignalHandlers`).
   * Without it, workers run the current script and `runCluster` calls `worker` in them.
   */
  readonly script?: string;
  /** Arguments and Node options for the workers (e.g. `['-r', 'ts-node/register']`). */
  readonly args?: readonly string[];
  readonly execArgv?: readonly string[];
  /** Runs in each worker when there is no `script`; return the app and SIGTERM/SIGINT will close it gracefully. */
  readonly worker?: () => ClosableApp | void | Promise<ClosableApp | void>;
  /** Milliseconds a retiring worker has to exit after SIGTERM before it is killed (default 30 s). */
  readonly stopTimeout?: number;
  /** Install SIGHUP (rolling restart) and SIGTERM/SIGINT (stop) on the primary; default true. */
  readonly handleSignals?: boolean;
  readonly logger?: ClusterLogger;
}

/** The primary's handle on its workers. */
export interface ClusterPrimary {
  /** The pids of the workers currently serving. */
  readonly pids: readonly number[];
  /** Resolves once the first set of workers all listen. */
  readonly ready: Promise<void>;
  /** Replaces the workers one by one, each only after its successor listens, so no connection is refused. */
  restart(): Promise<void>;
  /** Stops every worker gracefully (SIGTERM, then SIGKILL after `stopTimeout`); no replacements. */
  stop(): Promise<void>;
}

const QUIET: ClusterLogger = { info: () => undefined, warn: () => undefined };
/** A worker that dies before listening is replaced after this delay, so a crash at startup cannot fork in a tight loop. */
const CRASH_BACKOFF_MS = 1000;

function isClosable(value: unknown): value is ClosableApp {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { close?: unknown }).close === 'function'
  );
}

class Primary implements ClusterPrimary {
  readonly ready: Promise<void>;
  private readonly serving = new Set<Worker>();
  private readonly retiring = new Set<Worker>();
  private starting = 0;
  private isStopping = false;
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly count: number,
    private readonly stopTimeout: number,
    private readonly logger: ClusterLogger,
  ) {
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    this.ready = Promise.all(Array.from({ length: count }, () => this.spawn())).then(
      () => undefined,
    );
  }

  get pids(): readonly number[] {
    return [...this.serving].map((worker) => worker.process.pid ?? 0);
  }

  restart(): Promise<void> {
    this.restarting ??= (async () => {
      try {
        for (const old of [...this.serving]) {
          if (this.isStopping) return;
          await this.spawn();
          await this.retire(old);
        }
        this.logger.info({ pids: this.pids }, 'workers restarted');
      } finally {
        this.restarting = undefined;
      }
    })();
    return this.restarting;
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    await Promise.all([...this.serving].map((worker) => this.retire(worker)));
  }

  /** Forks a worker and resolves once it listens (or rejects if it exits first). */
  private spawn(): Promise<Worker> {
    const worker = cluster.fork();
    this.starting++;
    return new Promise<Worker>((resolve, reject) => {
      const onExit = (): void => {
        this.starting--;
        reject(new Error(`worker ${worker.process.pid ?? '?'} exited before listening`));
      };
      worker.once('exit', onExit);
      worker.once('listening', () => {
        worker.off('exit', onExit);
        this.starting--;
        this.serving.add(worker);
        this.logger.info({ pid: worker.process.pid }, 'worker listening');
        resolve(worker);
      });
    });
  }

  private retire(worker: Worker): Promise<void> {
    this.serving.delete(worker);
    if (worker.isDead()) return Promise.resolve();
    this.retiring.add(worker);
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => worker.process.kill('SIGKILL'), this.stopTimeout);
      // onExit (the cluster's 'exit', emitted after this one) takes it out of `retiring`.
      worker.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      worker.process.kill('SIGTERM');
    });
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const wasServing = this.serving.delete(worker);
    if (this.retiring.delete(worker) || this.isStopping) return;
    this.logger.warn({ pid: worker.process.pid, code, signal }, 'worker died; replacing it');
    // Keep `count` workers: a restart in progress may already be starting the successor.
    const replace = (): void => {
      if (this.isStopping || this.serving.size + this.starting >= this.count) return;
      this.spawn().catch(() => undefined);
    };
    // A worker that died while serving is replaced at once; one that never listened waits first.
    if (wasServing) replace();
    else setTimeout(replace, CRASH_BACKOFF_MS).unref();
  }
}

/**
 * Runs the app in N worker processes with node:cluster (gunicorn's model): connections are shared
 * between the workers, a worker that dies is replaced, SIGHUP restarts the workers one by one
 * without refusing connections, and SIGTERM/SIGINT stop them gracefully. In the primary it
 * resolves to a handle on the workers; in a worker it runs `worker` and resolves to `undefined`.
 *
 * @example
 * // server.ts: one file for the primary and its workers
 * await runCluster({
 *   workers: 4,
 *   worker: async () => {
 *     const app = createApp({ modules: [AppModule] });
 *     await app.listen({ port: 3000, host: '0.0.0.0' });
 *     return app;
 *   },
 * });
 */
export async function runCluster(
  options: ClusterOptions = {},
): Promise<ClusterPrimary | undefined> {
  if (cluster.isWorker) {
    const app = await options.worker?.();
    if (isClosable(app)) installSignalHandlers(app);
    return undefined;
  }
  const count = options.workers ?? availableParallelism();
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(
      `runCluster: workers must be a whole number of at least 1; got ${String(count)}`,
    );
  if (
    options.script !== undefined ||
    options.args !== undefined ||
    options.execArgv !== undefined
  ) {
    cluster.setupPrimary({
      ...(options.script !== undefined ? { exec: options.script } : {}),
      ...(options.args !== undefined ? { args: [...options.args] } : {}),
      ...(options.execArgv !== undefined ? { execArgv: [...options.execArgv] } : {}),
    });
  }
  const logger = options.logger ?? QUIET;
  const primary = new Primary(count, options.stopTimeout ?? 30_000, logger);
  if (options.handleSignals !== false) {
    process.on('SIGHUP', () => {
      logger.info({}, 'SIGHUP: restarting workers one by one');
      primary
        .restart()
        .catch((error: unknown) => logger.warn({ err: error }, 'rolling restart failed'));
    });
    const stop = (): void => {
      primary.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  await primary.ready;
  return primary;
}
