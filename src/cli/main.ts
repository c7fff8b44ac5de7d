import type { FlagonApp } from '../app/create-app';
import { isFlagonError } from '../errors/flagon-error';
import type { CliCommand } from './cli-command';
import { CliError } from './cli-error';
import { parseCommandArgs, type BuiltinCommand, type CliIo } from './command';
import { devCommand } from './commands/dev';
import { newCommand } from './commands/new';
import { routesCommand } from './commands/routes';
import { serveCommand } from './commands/serve';
import { startCommand } from './commands/start';
import { BUILT_ENTRIES, findEntry, loadApp, SOURCE_ENTRIES } from './load-app';

const BUILTINS: readonly BuiltinCommand[] = [
  newCommand,
  devCommand,
  startCommand,
  routesCommand,
  serveCommand,
];
const LISTED = BUILTINS.filter((command) => command.summary !== '');

function mainUsage(extensions: readonly CliCommand[] = []): string {
  const width =
    Math.max(
      ...[
        ...LISTED.map((command) => command.name),
        ...extensions.map((command) => command.name),
      ].map((name) => name.length),
    ) + 2;
  const lines = [
    'Usage: flagon <command> [options]',
    '',
    'Commands:',
    ...LISTED.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    ...(extensions.length > 0
      ? [
          '',
          "Commands from the app's modules:",
          ...extensions.map((command) => `  ${command.name.padEnd(width)}${command.description}`),
        ]
      : []),
    '',
    "Run `flagon <command> --help` for a command's options. Modules can add commands (e.g. `flagon db init`);",
    'they are found in the app module (src/app.ts, dist/app.js, or --app <file> / FLAGON_APP).',
  ];
  return lines.join('\n');
}

export const defaultIo: CliIo = {
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The app for extension commands: `--app <file>` (first), FLAGON_APP, or the default entries. */
async function appForExtensions(appFlag: string | undefined, io: CliIo): Promise<FlagonApp> {
  return loadApp(findEntry(appFlag, [...SOURCE_ENTRIES, ...BUILT_ENTRIES], io.cwd));
}

/** The extension command whose words start argv, the longest name first (`db init` before `db`). */
function matchExtension(
  commands: readonly CliCommand[],
  argv: readonly string[],
): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...commands].sort(
    (a, b) => b.name.split(/\s+/).length - a.name.split(/\s+/).length,
  );
  for (const command of sorted) {
    const words = command.name.trim().split(/\s+/);
    if (words.every((word, index) => argv[index] === word))
      return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

async function runExtension(
  argv: readonly string[],
  appFlag: string | undefined,
  io: CliIo,
): Promise<number> {
  let entry: string;
  try {
    entry = findEntry(appFlag, [...SOURCE_ENTRIES, ...BUILT_ENTRIES], io.cwd);
  } catch (error) {
    const why = error instanceof CliError ? ` (${error.message})` : '';
    throw new CliError(`Unknown command "${argv[0] ?? ''}"${why}`, 2, mainUsage());
  }
  const app = await loadApp(entry);
  const match = matchExtension(app.commands(), argv);
  if (!match)
    throw new CliError(`Unknown command "${argv.join(' ')}"`, 2, mainUsage(app.commands()));
  const { command, rest } = match;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(
      `Usage: flagon ${command.name} [args]\n\n${command.description}${command.help !== undefined ? `\n\n${command.help}` : ''}`,
    );
    return 0;
  }
  await app.init();
  try {
    await command.run({ app, args: rest, print: (line) => io.out(line) });
  } finally {
    await app.close();
  }
  return 0;
}

async function help(appFlag: string | undefined, io: CliIo): Promise<number> {
  let extensions: readonly CliCommand[] = [];
  try {
    extensions = (await appForExtensions(appFlag, io)).commands();
  } catch {
    // No app here (or it fails to load): list the built-in commands only.
  }
  io.out(mainUsage(extensions));
  return 0;
}

/**
 * Runs the `flagon` CLI with the arguments after the program name. Resolves with the exit code
 * (0 ok, 1 failure, 2 wrong usage), or `undefined` when the command keeps serving.
 *
 * @example
 * main(process.argv.slice(2)).then((code) => { if (code !== undefined) process.exit(code); });
 */
export async function main(
  argv: readonly string[],
  io: CliIo = defaultIo,
): Promise<number | undefined> {
  let args = [...argv];
  let appFlag: string | undefined;
  if (args[0] === '--app' || args[0]?.startsWith('--app=') === true) {
    appFlag = args[0] === '--app' ? args[1] : args[0].slice('--app='.length);
    args = args.slice(args[0] === '--app' ? 2 : 1);
    if (appFlag === undefined || appFlag === '')
      return report(new CliError('--app needs a file', 2, mainUsage()), io);
  }
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help')
      return await help(appFlag, io);
    const builtin = BUILTINS.find((command) => command.name === name);
    if (!builtin) {
      if (name.startsWith('-')) throw new CliError(`Unknown option "${name}"`, 2, mainUsage());
      return await runExtension(args, appFlag, io);
    }
    const parsed = parseCommandArgs(builtin, rest);
    if (parsed.values['help'] === true) {
      io.out(builtin.usage);
      return 0;
    }
    return await builtin.run(parsed, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CliError) {
    io.err(`Error: ${error.message}`);
    if (error.usage !== undefined) io.err(`\n${error.usage}`);
    return error.exitCode;
  }
  // Flagon's own errors name the problem and the fix (a migration that failed, an unreachable
  // database): their message is the report, a stack trace would bury it.
  if (isFlagonError(error)) {
    io.err(`Error: ${error.message} (${error.code})`);
    return 1;
  }
  io.err(
    error instanceof Error ? (error.stack ?? `Error: ${error.message}`) : `Error: ${String(error)}`,
  );
  return 1;
}
