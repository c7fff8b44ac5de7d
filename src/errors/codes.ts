/**
 * The one table of every error Flagon raises: code → HTTP status → default message.
 * `docs/errors.md` documents the same codes; a test keeps the two in sync both ways.
 * Startup errors carry status 500: they stop `createApp`/`init` and are never sent to a client.
 */
export const ERROR_CODES = {
  FLAGON_APP_ALREADY_STARTED: { status: 500, message: 'The app has already started' },
  FLAGON_APP_CLOSED: { status: 500, message: 'The app has been closed' },
  FLAGON_CONFIG_INVALID: { status: 500, message: 'Invalid configuration' },
  FLAGON_CONTEXT_OUTSIDE_REQUEST: { status: 500, message: 'No request is being handled here' },
  FLAGON_DI_MISSING_PROVIDER: { status: 500, message: 'No provider for a dependency' },
  FLAGON_DI_CIRCULAR: { status: 500, message: 'Circular dependency' },
  FLAGON_DI_UNTYPED_PARAMETER: {
    status: 500,
    message: 'A constructor parameter has no runtime type',
  },
  FLAGON_DI_CONSTRUCTION_FAILED: { status: 500, message: 'A provider failed to construct' },
  FLAGON_DI_OVERRIDE_TOO_LATE: {
    status: 500,
    message: 'Providers cannot be overridden after the app started',
  },
  FLAGON_DEPENDENCY_MISSING: { status: 500, message: 'A package Flagon needs is not installed' },
  FLAGON_EXTENSION_INIT_FAILED: { status: 500, message: 'An extension failed to initialise' },
  FLAGON_MODULE_INVALID: { status: 500, message: 'Not a module' },
  FLAGON_MODULE_MOUNTED_TWICE: {
    status: 500,
    message: 'A module with controllers is mounted twice',
  },
  FLAGON_ROUTE_NOT_CONTROLLER: { status: 500, message: 'Not a controller' },
  FLAGON_ROUTE_CONFLICT: { status: 500, message: 'Two handlers answer the same method and path' },
  FLAGON_ROUTE_INVALID_RULE: { status: 500, message: 'Invalid route rule' },
  FLAGON_ROUTE_UNKNOWN_CONVERTER: { status: 500, message: 'Unknown path converter' },
  FLAGON_ROUTE_INVALID_HANDLER: { status: 500, message: 'Invalid handler declaration' },
  FLAGON_URL_UNKNOWN_ENDPOINT: { status: 500, message: 'Unknown endpoint' },
  FLAGON_URL_MISSING_PARAM: { status: 500, message: 'Missing URL parameter' },
  FLAGON_URL_INVALID_PARAM: { status: 500, message: 'Invalid URL parameter' },
  FLAGON_RESPONSE_INVALID_REDIRECT: { status: 500, message: 'Unsafe redirect target' },
  FLAGON_RESPONSE_INVALID_HEADER: { status: 500, message: 'Invalid response header' },
  FLAGON_RESPONSE_EMPTY_DTO: { status: 500, message: 'A response DTO declares no properties' },
  FLAGON_OPENAPI_UNAVAILABLE: { status: 500, message: 'The OpenAPI document is not available' },
  // views
  FLAGON_VIEW_NOT_FOUND: { status: 500, message: 'Template not found' },
  FLAGON_VIEW_TEMPLATE_ERROR: { status: 500, message: 'Template has a syntax error' },
  FLAGON_VIEW_RENDER_FAILED: { status: 500, message: 'Template failed to render' },
  FLAGON_BODY_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  FLAGON_BODY_INVALID_JSON: { status: 400, message: 'Request body is not valid JSON' },
  FLAGON_BODY_FORBIDDEN_KEY: { status: 400, message: 'Request body contains a forbidden key' },
  FLAGON_BODY_UNSUPPORTED_TYPE: { status: 415, message: 'Unsupported request content type' },
  FLAGON_BODY_ABORTED: { status: 400, message: 'The client aborted the request body' },
  // sessions and security
  FLAGON_CONFIG_SECRET_KEY_MISSING: { status: 500, message: 'SECRET_KEY is not set' },
  FLAGON_CONFIG_SECRET_KEY_TOO_SHORT: { status: 500, message: 'SECRET_KEY is too short' },
  FLAGON_SESSION_UNAVAILABLE: { status: 500, message: 'Sessions are not available here' },
  FLAGON_SESSION_NOT_LOADED: { status: 500, message: 'The session has not been loaded' },
  FLAGON_SESSION_STORE_UNAVAILABLE: { status: 503, message: 'The session store is unavailable' },
  FLAGON_CSRF_TOKEN_MISSING: { status: 400, message: 'The CSRF token is missing' },
  FLAGON_CSRF_TOKEN_INVALID: { status: 400, message: 'The CSRF token is invalid' },
  FLAGON_CSRF_TOKEN_EXPIRED: { status: 400, message: 'The CSRF token has expired' },
  FLAGON_CSRF_ORIGIN_MISMATCH: { status: 400, message: 'The request comes from another origin' },
  FLAGON_SECURITY_UNTRUSTED_HOST: { status: 400, message: 'The Host header is not trusted' },
  FLAGON_AUTH_NO_USER_LOADER: { status: 500, message: 'No UserLoader is registered' },
  FLAGON_AUTH_LOGIN_REQUIRED: { status: 401, message: 'Login required' },
  FLAGON_AUTH_FORBIDDEN: { status: 403, message: 'Not allowed' },
  // input
  FLAGON_BODY_INVALID_UTF8: { status: 400, message: 'Request body is not valid UTF-8' },
  FLAGON_BODY_TOO_DEEP: { status: 400, message: 'Request body nests deeper than JSON_MAX_DEPTH' },
  FLAGON_BODY_MALFORMED: { status: 400, message: 'Malformed request body' },
  FLAGON_VALIDATION_FAILED: { status: 400, message: 'Validation failed' },
  FLAGON_VALIDATION_NOT_A_DTO: { status: 500, message: 'A DTO class declares no validation rules' },
  FLAGON_UPLOAD_MISSING: { status: 400, message: 'A required file upload is missing' },
  FLAGON_UPLOAD_TYPE_NOT_ALLOWED: { status: 400, message: 'Uploaded file type is not allowed' },
  FLAGON_HTTP_BAD_REQUEST: { status: 400, message: 'Bad Request' },
  FLAGON_HTTP_UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  FLAGON_HTTP_FORBIDDEN: { status: 403, message: 'Forbidden' },
  FLAGON_HTTP_NOT_FOUND: { status: 404, message: 'Not Found' },
  FLAGON_HTTP_METHOD_NOT_ALLOWED: { status: 405, message: 'Method Not Allowed' },
  FLAGON_HTTP_NOT_ACCEPTABLE: { status: 406, message: 'Not Acceptable' },
  FLAGON_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'Request Timeout' },
  FLAGON_HTTP_CONFLICT: { status: 409, message: 'Conflict' },
  FLAGON_HTTP_GONE: { status: 410, message: 'Gone' },
  FLAGON_HTTP_LENGTH_REQUIRED: { status: 411, message: 'Length Required' },
  FLAGON_HTTP_PRECONDITION_FAILED: { status: 412, message: 'Precondition Failed' },
  FLAGON_HTTP_PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload Too Large' },
  FLAGON_HTTP_URI_TOO_LONG: { status: 414, message: 'URI Too Long' },
  FLAGON_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type' },
  FLAGON_HTTP_RANGE_NOT_SATISFIABLE: { status: 416, message: 'Range Not Satisfiable' },
  FLAGON_HTTP_UNPROCESSABLE_ENTITY: { status: 422, message: 'Unprocessable Entity' },
  FLAGON_HTTP_TOO_MANY_REQUESTS: { status: 429, message: 'Too Many Requests' },
  FLAGON_HTTP_HEADER_FIELDS_TOO_LARGE: { status: 431, message: 'Request Header Fields Too Large' },
  FLAGON_HTTP_INTERNAL_SERVER_ERROR: { status: 500, message: 'Internal Server Error' },
  FLAGON_HTTP_NOT_IMPLEMENTED: { status: 501, message: 'Not Implemented' },
  FLAGON_HTTP_BAD_GATEWAY: { status: 502, message: 'Bad Gateway' },
  FLAGON_HTTP_SERVICE_UNAVAILABLE: { status: 503, message: 'Service Unavailable' },
  FLAGON_HTTP_GATEWAY_TIMEOUT: { status: 504, message: 'Gateway Timeout' },
  // database
  FLAGON_DATABASE_URL_INVALID: { status: 500, message: 'The database URL is not supported' },
  FLAGON_DATABASE_UNREACHABLE: {
    status: 500,
    message: 'The database cannot be reached at startup',
  },
  FLAGON_DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable' },
  FLAGON_DATABASE_POOL_EXHAUSTED: {
    status: 503,
    message: 'No database connection became free in time',
  },
  FLAGON_DATABASE_MIGRATION_FAILED: { status: 500, message: 'A database migration failed' },
  FLAGON_DATABASE_MIGRATION_INVALID: {
    status: 500,
    message: 'A migration file or name is invalid',
  },
  FLAGON_DATABASE_NOT_MANAGED: {
    status: 500,
    message: 'The Kysely instance was not made by DatabaseModule',
  },
  FLAGON_DATABASE_TRANSACTION_ENDED: {
    status: 500,
    message: 'A query ran after its transaction ended',
  },
  // production
  FLAGON_HANDLER_TIMEOUT: { status: 503, message: 'The handler did not finish in time' },
} as const satisfies Record<`FLAGON_${string}`, { status: number; message: string }>;

export type FlagonErrorCode = keyof typeof ERROR_CODES;

/** The short, stable name an error has in JSON bodies: FLAGON_HTTP_NOT_FOUND → `not_found`. */
export function errorSlug(code: FlagonErrorCode): string {
  let slug = slugs.get(code);
  if (slug === undefined) {
    slug = code.replace(/^FLAGON_(HTTP_)?/, '').toLowerCase();
    slugs.set(code, slug);
  }
  return slug;
}

// Every error response names its code's slug: worked out once per code.
const slugs = new Map<FlagonErrorCode, string>();
