import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type * as Chokidar from 'chokidar';
import { lazyRequire } from '../../util/lazy-require';
import { integerValue, stringValue, type BuiltinCommand, type CliIo } from '../command';
import { findEntry, SOURCE_ENTRIES } from '../load-app';
import { defaultHost, defaultPort } from '../serve';

const usage = `Usage: flagon dev [entry] [--port N] [--host H]

Runs the app from source in debug mode (FLAGON_DEBUG=true) and restarts it when a file under
src/ (or the entry's folder) changes. TypeScript runs through ts-node, which keeps decorator
metadata (a bundler that drops emitDecoratorMetadata would break dependency injection). It does
not type-check: run tsc --noEmit for that (npm run typecheck in a project from flagon new).

  entry          the app module (default: src/app.ts or app.ts; or FLAGON_APP);
                 it exports \`app\` or \`buildApp()\` and does not listen itself
  --port N       port to listen on (default: PORT or 3000)
  --host H       address to bind (default: HOST or 127.0.0.1)
  -h, --help     show this help`;

/** Editors write a file in several steps; one restart per burst of changes. */
const SETTLE_MS = 150;

// chokidar, not fs.watch: Node 20's recursive fs.watch on Linux loses a file once an editor
// replaces it by a rename (sed -i, Vim, JetBrains' safe write); chokidar watches it again.
const loadChokidar = lazyRequire<typeof Chokidar>('chokidar', 'flagon dev');

/** Dependencies and dot-files (editor swap files, .git) never restart the app. */
function isIgnored(path: string, root: string): boolean {
  if (path === root) return false;
  return relative(root, path)
    .split(/[\\/]/)
    .some((part) => part === 'node_modules' || part.startsWith('.'));
}

/** Watches `folder`; `onChange` gets each changed, added or removed path relative to the cwd. */
function watchFolder(
  folder: string,
  io: CliIo,
  onChange: (file: string) => void,
): Promise<Chokidar.FSWatcher> {
  const watcher = loadChokidar().watch(folder, {
    ignored: (path: string) => isIgnored(path, folder),
    ignoreInitial: true,
  });
  watcher.on('all', (_event, path) => onChange(relative(io.cwd, path)));
  return new Promise((resolve, reject) => {
    watcher.once('ready', () => {
      // A folder that becomes unreadable later is reported, not fatal: the app keeps running.
      watcher.on('error', (error) => io.err(`Watching ${folder} failed: ${String(error)}`));
      resolve(watcher);
    });
    watcher.once('error', reject);
  });
}

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
  async run(args, io) {
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
    // Ready before the app starts: an edit made once it listens is never missed.
    const watcher = await watchFolder(watched, io, (file) => reloader.changed(file));
    io.err(`Watching ${relative(io.cwd, watched) || '.'} for changes (debug mode)`);
    reloader.start();
    const stop = (): void => {
      void Promise.all([watcher.close(), reloader.stop()]).then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return undefined;
  },
};
