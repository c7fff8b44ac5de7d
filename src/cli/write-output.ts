import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIo } from './command';

/** Writes a command's output to `out` (relative to the working folder), or prints it. */
export function writeOutput(text: string, out: string | undefined, io: CliIo): void {
  if (out === undefined) {
    io.out(text.replace(/\n$/, ''));
    return;
  }
  const path = resolve(io.cwd, out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  io.err(`Wrote ${out}`);
}
