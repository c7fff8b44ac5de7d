import { ERROR_CODES, type FlagonErrorCode } from './codes';

export interface FlagonErrorOptions {
  cause?: unknown;
  /** Overrides the status the code table gives. */
  status?: number;
  /** Extra data for error bodies and handlers (for example field errors). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * Every error Flagon throws: a stable `code` from the code table, the HTTP `status` it maps to,
 * and an optional `cause`.
 *
 * @example
 * throw new FlagonError('FLAGON_ROUTE_CONFLICT', 'GET /posts is declared by A.list and B.list');
 */
export class FlagonError extends Error {
  readonly code: FlagonErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: FlagonErrorCode, detail?: string, options: FlagonErrorOptions = {}) {
    const entry = ERROR_CODES[code];
    super(
      detail ?? entry.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? entry.status;
    this.details = options.details;
  }
}

/** True for any error raised by Flagon (or a subclass such as `NotFound`). */
export function isFlagonError(value: unknown): value is FlagonError {
  return value instanceof FlagonError;
}
