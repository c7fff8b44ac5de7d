import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

/** Where a command writes, and the folder it works in (tests pass their own). */
export interface CliIo {
  readonly cwd: string;
  /** Data: what the command produces (a route table, JSON, the files it created). */
  out(line: string): void;
  /** Everything else: status lines, warnings, errors (so `flagon routes --json | jq` gets JSON only). */
  err(line: string): void;
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** A built-in command: `flagon <name>`. */
export interface BuiltinCommand {
  readonly name: string;
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  readonly options: OptionSpecs;
  readonly maxPositionals: number;
  /** Resolves with the exit code, or `undefined` once a long-running command serves (the process stays up). */
  run(args: ParsedArgs, io: CliIo): Promise<number | undefined>;
}

/** Parses argv strictly: an unknown flag, a missing value or an extra argument is a usage error (exit 2). */
export function parseCommandArgs(command: BuiltinCommand, argv: readonly string[]): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(
      error instanceof Error
        ? error.message.replace(/\. To specify a positional[\s\S]*$/, '')
        : String(error),
      2,
      command.usage,
    );
  }
  if (parsed.values['help'] !== true && parsed.positionals.length > command.maxPositionals) {
    throw new CliError(
      `Unexpected argument "${parsed.positionals[command.maxPositionals] ?? ''}"`,
      2,
      command.usage,
    );
  }
  return parsed;
}

/** A string flag's value, or undefined. */
export function stringValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A flag that must be a whole number within bounds (ports, worker counts); `alternative` names a word the caller accepts too. */
export function integerValue(
  args: ParsedArgs,
  name: string,
  min: number,
  max: number,
  usage: string,
  alternative?: string,
): number | undefined {
  const text = stringValue(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliError(
      `--${name} must be a whole number from ${min} to ${max}${alternative === undefined ? '' : `, or ${alternative}`}; got "${text}"`,
      2,
      usage,
    );
  }
  return value;
}
