import type { FlagonApp } from '../app/flagon-app';

/**
 * What an extension command gets when `flagon <name>` runs it.
 *
 * @example
 * run: ({ app, args, print }) => print(`${app.routes().length} routes; args: ${args.join(' ')}`)
 */
export interface CliCommandContext {
  /** The app loaded from the entry module, already initialised (providers resolvable, onInit run). */
  readonly app: FlagonApp;
  /** The words after the command's name (`flagon db seed --count 3` → `['--count', '3']`). */
  readonly args: readonly string[];
  /** Writes a line to standard output. */
  readonly print: (line: string) => void;
}

/**
 * A command an extension module contributes to the `flagon` CLI (Flask's `app.cli.command`),
 * listed in `ModuleOptions.commands` or `ConfiguredModule.commands`. The CLI loads the app, runs
 * `app.init()`, calls `run`, then closes the app; a thrown error exits 1 with its message.
 *
 * @example
 * const initDb: CliCommand = {
 *   name: 'db init',
 *   description: 'Create the database schema',
 *   run: ({ app, print }) => { app.resolve(Database).migrate(); print('Initialized the database.'); },
 * };
 * static configure(): ConfiguredModule { return { module: DbModule, commands: [initDb] }; }
 */
export interface CliCommand {
  /** One or more words: `flagon db init` runs the command named `'db init'`. */
  readonly name: string;
  /** One line for `flagon --help`. */
  readonly description: string;
  /** Extra lines printed by `flagon <name> --help`. */
  readonly help?: string;
  run(context: CliCommandContext): void | Promise<void>;
}
