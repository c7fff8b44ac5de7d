import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const FLAGON_BIN = join(__dirname, '..', '..', 'bin', 'flagon.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `flagon <args>` to completion (killed after `timeout` ms). */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number; bin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? FLAGON_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeout ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `flagon` process (dev, start) whose output can be awaited. */
export class RunningCli {
  readonly child: ChildProcess;
  output = '';
  private waiters: { pattern: RegExp; from: number; resolve: (match: RegExpMatchArray) => void }[] =
    [];

  constructor(
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {},
  ) {
    this.child = spawn(process.execPath, [options.bin ?? FLAGON_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
    });
    const onData = (chunk: Buffer): void => {
      this.output += chunk.toString();
      this.waiters = this.waiters.filter((waiter) => {
        const match = this.output.slice(waiter.from).match(waiter.pattern);
        if (match) waiter.resolve(match);
        return !match;
      });
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
  }

  /** Resolves with the first match of `pattern` in the output after offset `from`; rejects after `timeout` ms. */
  waitFor(pattern: RegExp, from = 0, timeout = 60_000): Promise<RegExpMatchArray> {
    const match = this.output.slice(from).match(pattern);
    if (match) return Promise.resolve(match);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`timed out waiting for ${String(pattern)}; output:\n${this.output}`)),
        timeout,
      );
      this.waiters.push({
        pattern,
        from,
        resolve: (found) => {
          clearTimeout(timer);
          resolve(found);
        },
      });
    });
  }

  /** Stops the whole process group (the CLI and the app processes it started) and waits for the CLI to exit. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => {
      const kill = setTimeout(() => this.signalGroup('SIGKILL'), 10_000);
      this.child.once('exit', (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      this.signalGroup(signal);
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-(this.child.pid ?? 0), signal);
    } catch {
      this.child.kill(signal);
    }
  }
}
