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
