import { relative } from 'node:path';
import type { FlagonApp } from '../app/flagon-app';
import type { CliCommand } from './cli-command';
import { AppLoadError, CliError } from './cli-error';
import { parseCommandArgs, type BuiltinCommand, type CliIo } from './command';
import { formatError, isVerbose } from './error-report';
import { devCommand } from './commands/dev';
import { newCommand } from './commands/new';
import { openapiCommand } from './commands/openapi';
import { routesCommand } from './commands/routes';
import { serveCommand } from './commands/serve';
import { startCommand } from './commands/start';
import { BUILT_ENTRIES, findEntry, loadApp, SOURCE_ENTRIES } from './load-app';

const BUILTINS: readonly BuiltinCommand[] = [
  newCommand,
  devCommand,
  startCommand,
  routesCommand,
  openapiCommand,
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
    "Run `flagon <command> --help` for a command's options; add --verbose (or set DEBUG=1) to see stack traces.",
    'Modules can add commands (e.g. `flagon db init`), found in the app module',
    '(src/app.ts, dist/app.js, or --app <file> / FLAGON_APP).',
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
  // Logs go to stderr, data to stdout (`flagon routes --json | jq`): the apps the CLI loads log
  // there unless told otherwise; an environment variable reaches the `flagon dev` child and an
  // app that loads its own copy of Flagon.
  process.env['FLAGON_LOG_STREAM'] ??= 'stderr';
  const verbose = isVerbose(argv, process.env);
  let args = [...argv];
  let appFlag: string | undefined;
  if (args[0] === '--app' || args[0]?.startsWith('--app=') === true) {
    appFlag = args[0] === '--app' ? args[1] : args[0].slice('--app='.length);
    args = args.slice(args[0] === '--app' ? 2 : 1);
    if (appFlag === undefined || appFlag === '')
      return report(new CliError('--app needs a file', 2, mainUsage()), io, verbose);
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
    const parsed = parseCommandArgs(
      builtin,
      rest.filter((arg) => arg !== '--verbose'),
    );
    if (parsed.values['help'] === true) {
      io.out(builtin.usage);
      return 0;
    }
    return await builtin.run(parsed, io);
  } catch (error) {
    return report(error, io, verbose);
  }
}

/** One paragraph per failure; a stack trace only with --verbose or DEBUG (error-report.ts). */
function report(error: unknown, io: CliIo, verbose: boolean): number {
  if (error instanceof AppLoadError) {
    const context = `Cannot load the app from ${relative(io.cwd, error.entry) || error.entry}`;
    for (const line of formatError(error.cause, { context, cwd: io.cwd, isVerbose: verbose }))
      io.err(line);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    io.err(`Error: ${error.message}`);
    if (error.usage !== undefined) io.err(`\n${error.usage}`);
    return error.exitCode;
  }
  for (const line of formatError(error, { cwd: io.cwd, isVerbose: verbose })) io.err(line);
  return 1;
}
