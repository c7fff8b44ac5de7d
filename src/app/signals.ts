import cluster from 'node:cluster';

/** What `installSignalHandlers` needs from an app (FlagonApp satisfies it). */
export interface ClosableApp {
  close(): Promise<void>;
  readonly logger?: { info(message: string): void; error(details: object, message: string): void };
}

export interface SignalHandlerOptions {
  /** The signals that start a graceful shutdown; SIGTERM and SIGINT by default. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called with the exit code once the app is closed; `exitProcess` (process.exit, after leaving a cluster) by default. */
  readonly exit?: (code: number) => void;
}

/**
 * Makes SIGTERM/SIGINT close the app gracefully (stop accepting, finish in-flight requests up to
 * SHUTDOWN_TIMEOUT, run shutdown hooks) and exit 0; a second signal exits 1 at once. Returns a
 * function that removes the handlers.
 *
 * @example
 * const app = createApp({ modules: [AppModule] });
 * await app.listen({ port: 3000 });
 * installSignalHandlers(app);
 */
export function installSignalHandlers(
  app: ClosableApp,
  options: SignalHandlerOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? exitProcess;
  let isShuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (isShuttingDown) {
      exit(1);
      return;
    }
    isShuttingDown = true;
    app.logger?.info(`${signal} received: shutting down`);
    app.close().then(
      () => exit(0),
      (error: unknown) => {
        app.logger?.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}

/** How long a cluster worker waits for the primary to acknowledge its departure before exiting anyway. */
const LEAVE_CLUSTER_TIMEOUT_MS = 5000;

/**
 * Exits the process; in a cluster worker, only after leaving the cluster. The primary hands each
 * accepted connection to a worker over IPC and keeps its own copy until the worker acknowledges
 * it: a handoff still in the pipe when the worker exits is never acknowledged, so the primary holds
 * that connection open and the client hangs. `worker.disconnect()` waits for the primary's reply to
 * a message sent after the server closed; the primary answers in order, so every handoff sent
 * before it has reached this worker and been refused (and given to another worker) by then.
 *
 * @example
 * app.close().then(() => exitProcess(0));
 */
export function exitProcess(code: number): void {
  const worker = cluster.isWorker ? cluster.worker : undefined;
  if (!worker || !worker.isConnected()) {
    process.exit(code);
    return;
  }
  setTimeout(() => process.exit(code), LEAVE_CLUSTER_TIMEOUT_MS).unref();
  worker.once('disconnect', () => process.exit(code));
  worker.disconnect();
}
