import { relative, sep } from 'node:path';

/** Hints for the failures people meet most when starting an app, by error code. */
const HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another process listens on that port: stop it, or pass --port (0 picks a free one)',
  EACCES: 'ports below 1024 need privileges: use a higher --port, or a proxy in front',
  MODULE_NOT_FOUND:
    'a package or file the app imports is missing: run npm install, or check the path',
  FLAGON_DEPENDENCY_MISSING: 'install the package the message names (npm install <package>)',
};

/**
 * True when the user asked for stack traces: `--verbose`, or `DEBUG` / `FLAGON_DEBUG` set to a
 * value other than `0`/`false` (`flagon dev` sets FLAGON_DEBUG for the app it runs).
 *
 * @example
 * isVerbose(['start', '--verbose'], process.env); // true
 */
export function isVerbose(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const isOn = (value: string | undefined): boolean =>
    value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
  return argv.includes('--verbose') || isOn(env['DEBUG']) || isOn(env['FLAGON_DEBUG']);
}

/** The first stack frame in the project's own files (not node_modules, not Node's), relative to cwd. */
function projectFrame(stack: string, cwd: string): string | undefined {
  for (const match of stack.matchAll(/\(?((?:\/|[A-Za-z]:\\)[^():\s]+):(\d+):(\d+)\)?$/gm)) {
    const [, file = '', line = '', column = ''] = match;
    const path = relative(cwd, file);
    if (path.startsWith('..') || path.split(sep).includes('node_modules')) continue;
    return `${path}:${line}:${column}`;
  }
  return undefined;
}

/**
 * An error as one short paragraph: what failed (`context`), the code and message, where in the
 * project it was thrown, and a hint; the stack trace only when `isVerbose`.
 *
 * @example
 * formatError(error, { context: 'Cannot load the app from src/app.ts', cwd, isVerbose: false });
 */
export function formatError(
  error: unknown,
  options: { readonly context?: string; readonly cwd: string; readonly isVerbose: boolean },
): string[] {
  const lines = options.context === undefined ? [] : [`${options.context}:`];
  if (!(error instanceof Error)) return [...lines, `Error: ${String(error)}`];
  const code = (error as { code?: unknown }).code;
  const label = typeof code === 'string' && code !== '' ? code : error.name;
  lines.push(`${label}: ${error.message.trim()}`);
  const where = error.stack === undefined ? undefined : projectFrame(error.stack, options.cwd);
  if (where !== undefined) lines.push(`  at ${where}`);
  const hint = typeof code === 'string' ? HINTS[code] : undefined;
  if (hint !== undefined) lines.push(`Hint: ${hint}.`);
  if (options.isVerbose) {
    if (error.stack !== undefined) lines.push('', error.stack);
    if (error.cause instanceof Error && error.cause.stack !== undefined)
      lines.push('Caused by:', error.cause.stack);
  } else {
    lines.push('(Run with --verbose, or DEBUG=1, to see the stack trace.)');
  }
  return lines;
}
