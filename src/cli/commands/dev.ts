import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { integerValue, stringValue, type BuiltinCommand, type CliIo } from '../command';
import { findEntry, SOURCE_ENTRIES } from '../load-app';
import { defaultHost, defaultPort } from '../serve';

const usage = `Usage: flagon dev [entry] [--port N] [--host H]

Runs the app from source in debug mode (FLAGON_DEBUG=true) and restarts it when a file under
src/ (or the entry's folder) changes. TypeScript runs through ts-node, which keeps decorator
metadata (a bundler that drops emitDecoratorMetadata would break dependency injection).

  entry          the app module (default: src/app.ts or app.ts; or FLAGON_APP);
                 it exports \`app\` or \`buildApp()\` and does not listen itself
  --port N       port to listen on (default: PORT or 3000)
  --host H       address to bind (default: HOST or 127.0.0.1)
  -h, --help     show this help`;

/** Editors write a file in several steps; one restart per burst of changes. */
const SETTLE_MS = 150;

class Reloader {
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private isStopping = false;

  constructor(
    private readonly argv: readonly string[],
    private readonly io: CliIo,
  ) {}

  start(): void {
    if (this.isStopping) return;
    const child = spawn(process.execPath, [...process.execArgv, ...this.argv], {
      cwd: this.io.cwd,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'development', FLAGON_DEBUG: 'true' },
    });
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (!this.isStopping && signal === null)
        this.io.err(`App exited with code ${String(code)}; waiting for a change to restart`);
    });
  }

  changed(file: string): void {
    if (this.isStopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.io.err(`Change in ${file}: restarting`);
      void this.stopChild().then(() => this.start());
    }, SETTLE_MS);
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    clearTimeout(this.timer);
    await this.stopChild();
  }

  private stopChild(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** `flagon dev`: Flask's `flask run --debug`, with the reloader. */
export const devCommand: BuiltinCommand = {
  name: 'dev',
  summary: 'Run the app from source in debug mode, restarting on changes',
  usage,
  maxPositionals: 1,
  options: { port: { type: 'string', short: 'p' }, host: { type: 'string' } },
  run(args, io) {
    const port = integerValue(args, 'port', 0, 65535, usage) ?? defaultPort();
    const host = stringValue(args, 'host') ?? defaultHost();
    const entry = findEntry(args.positionals[0], SOURCE_ENTRIES, io.cwd);
    const src = join(io.cwd, 'src');
    const watched =
      existsSync(src) && !relative(src, entry).startsWith('..') ? src : dirname(entry);
    const bin = process.argv[1] ?? '';
    const reloader = new Reloader(
      [bin, 'serve', entry, '--port', String(port), '--host', host],
      io,
    );
    const watcher: FSWatcher = watch(watched, { recursive: true }, (_event, file) => {
      const name = file ?? '';
      if (name.includes('node_modules') || name.split(/[\\/]/).some((part) => part.startsWith('.')))
        return;
      reloader.changed(join(relative(io.cwd, watched), name));
    });
    io.err(`Watching ${relative(io.cwd, watched) || '.'} for changes (debug mode)`);
    reloader.start();
    const stop = (): void => {
      watcher.close();
      void reloader.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return Promise.resolve(undefined);
  },
};
