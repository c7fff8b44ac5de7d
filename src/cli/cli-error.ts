/** A problem the CLI reports as one line (no stack trace): exit code 1, or 2 for wrong usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    /** Usage text printed after the message (wrong command or flag). */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The app module failed to load: it threw, or `createApp` did. Reported as the cause's code,
 * message, place in the project and a hint, not as a raw stack (see error-report.ts).
 */
export class AppLoadError extends CliError {
  constructor(
    readonly entry: string,
    cause: unknown,
  ) {
    super(`Cannot load the app from ${entry}`);
    this.name = 'AppLoadError';
    this.cause = cause;
  }
}
