import { ERROR_CODES, type FlagonErrorCode } from './codes';
import { FlagonError, type FlagonErrorOptions } from './flagon-error';

/**
 * An error that maps to an HTTP response. Throw a subclass (`NotFound`, `Forbidden`, …) or call
 * `abort(status)`; error handlers can be keyed by the class or by the status.
 *
 * @example
 * throw new NotFound(`No post with id ${id}`);
 */
export class HttpError extends FlagonError {
  /** Headers the error response must carry (for example `Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: FlagonErrorCode,
    message?: string,
    options: FlagonErrorOptions & { headers?: Record<string, string> } = {},
  ) {
    super(code, message, options);
    this.headers = options.headers ?? {};
  }
}

type HttpErrorInit = FlagonErrorOptions & { headers?: Record<string, string> };

function httpErrorClass(
  code: FlagonErrorCode,
): new (message?: string, options?: HttpErrorInit) => HttpError {
  return class extends HttpError {
    constructor(message?: string, options?: HttpErrorInit) {
      super(code, message, options);
    }
  };
}

// Named class expressions keep `error.name` and stack traces readable.
export class BadRequest extends httpErrorClass('FLAGON_HTTP_BAD_REQUEST') {}
export class Unauthorized extends httpErrorClass('FLAGON_HTTP_UNAUTHORIZED') {}
export class Forbidden extends httpErrorClass('FLAGON_HTTP_FORBIDDEN') {}
export class NotFound extends httpErrorClass('FLAGON_HTTP_NOT_FOUND') {}
export class MethodNotAllowed extends httpErrorClass('FLAGON_HTTP_METHOD_NOT_ALLOWED') {}
export class NotAcceptable extends httpErrorClass('FLAGON_HTTP_NOT_ACCEPTABLE') {}
export class RequestTimeout extends httpErrorClass('FLAGON_HTTP_REQUEST_TIMEOUT') {}
export class Conflict extends httpErrorClass('FLAGON_HTTP_CONFLICT') {}
export class Gone extends httpErrorClass('FLAGON_HTTP_GONE') {}
export class LengthRequired extends httpErrorClass('FLAGON_HTTP_LENGTH_REQUIRED') {}
export class PreconditionFailed extends httpErrorClass('FLAGON_HTTP_PRECONDITION_FAILED') {}
export class PayloadTooLarge extends httpErrorClass('FLAGON_HTTP_PAYLOAD_TOO_LARGE') {}
export class UriTooLong extends httpErrorClass('FLAGON_HTTP_URI_TOO_LONG') {}
export class UnsupportedMediaType extends httpErrorClass('FLAGON_HTTP_UNSUPPORTED_MEDIA_TYPE') {}
export class RangeNotSatisfiable extends httpErrorClass('FLAGON_HTTP_RANGE_NOT_SATISFIABLE') {}
export class UnprocessableEntity extends httpErrorClass('FLAGON_HTTP_UNPROCESSABLE_ENTITY') {}
export class TooManyRequests extends httpErrorClass('FLAGON_HTTP_TOO_MANY_REQUESTS') {}
export class RequestHeaderFieldsTooLarge extends httpErrorClass(
  'FLAGON_HTTP_HEADER_FIELDS_TOO_LARGE',
) {}
export class InternalServerError extends httpErrorClass('FLAGON_HTTP_INTERNAL_SERVER_ERROR') {}
export class NotImplemented extends httpErrorClass('FLAGON_HTTP_NOT_IMPLEMENTED') {}
export class BadGateway extends httpErrorClass('FLAGON_HTTP_BAD_GATEWAY') {}
export class ServiceUnavailable extends httpErrorClass('FLAGON_HTTP_SERVICE_UNAVAILABLE') {}
export class GatewayTimeout extends httpErrorClass('FLAGON_HTTP_GATEWAY_TIMEOUT') {}

const CLASS_BY_STATUS: ReadonlyMap<
  number,
  new (message?: string, options?: HttpErrorInit) => HttpError
> = new Map([
  [400, BadRequest],
  [401, Unauthorized],
  [403, Forbidden],
  [404, NotFound],
  [405, MethodNotAllowed],
  [406, NotAcceptable],
  [408, RequestTimeout],
  [409, Conflict],
  [410, Gone],
  [411, LengthRequired],
  [412, PreconditionFailed],
  [413, PayloadTooLarge],
  [414, UriTooLong],
  [415, UnsupportedMediaType],
  [416, RangeNotSatisfiable],
  [422, UnprocessableEntity],
  [429, TooManyRequests],
  [431, RequestHeaderFieldsTooLarge],
  [500, InternalServerError],
  [501, NotImplemented],
  [502, BadGateway],
  [503, ServiceUnavailable],
  [504, GatewayTimeout],
]);

/** The HttpError for a status: the named subclass when there is one. */
export function httpError(status: number, message?: string, options?: HttpErrorInit): HttpError {
  const ErrorClass = CLASS_BY_STATUS.get(status);
  if (ErrorClass) return new ErrorClass(message, options);
  const code: FlagonErrorCode =
    status >= 500 ? 'FLAGON_HTTP_INTERNAL_SERVER_ERROR' : 'FLAGON_HTTP_BAD_REQUEST';
  return new HttpError(code, message ?? ERROR_CODES[code].message, { ...options, status });
}

/**
 * Stops the request with an HTTP error, like Flask's `abort(404)`.
 *
 * @example
 * if (!post) abort(404, `Post ${id} doesn't exist.`);
 */
export function abort(status: number, message?: string): never {
  throw httpError(status, message);
}

/** True for errors that carry an HTTP status meant for the client. */
export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}
