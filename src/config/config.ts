import { FlagonError } from '../errors/flagon-error';

/** Flagon's own settings; apps and extensions add their own keys next to them. */
export interface FlagonSettings {
  /**
   * The environment the app runs in, read from the NODE_ENV variable: unset, `development` or
   * `test` start without a SECRET_KEY (an ephemeral one, with a warning); any other value is
   * production (see `Config.isProduction`).
   */
  NODE_ENV: string | undefined;
  /** Debug mode: stack traces in error pages, pretty logs. Never in production. Unset: on only when NODE_ENV is `development`. */
  DEBUG: boolean;
  /** Testing mode: quiet logs; set by tests. */
  TESTING: boolean;
  /** Errors no handler takes reach the test client's call instead of a 500 page; unset follows TESTING (Flask's PROPAGATE_EXCEPTIONS). */
  PROPAGATE_EXCEPTIONS: boolean | undefined;
  /** Signs sessions and tokens; required outside debug/testing (see the security docs). */
  SECRET_KEY: string | undefined;
  /** Largest request body in bytes (Flask's MAX_CONTENT_LENGTH); 413 above it. */
  MAX_CONTENT_LENGTH: number;
  /** Trust X-Forwarded-For/Proto/Host: `false`, `true` (all hops) or the number of proxies. */
  TRUST_PROXY: boolean | number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. Defaults to info (silent when TESTING). */
  LOG_LEVEL: string | undefined;
  /** One log line per request. */
  LOG_REQUESTS: boolean;
  /** Where logs go: `stdout`, or `stderr` (the `flagon` CLI's default, so its data alone is on stdout). */
  LOG_STREAM: 'stdout' | 'stderr';
  /** Host for external URLs built outside a request. */
  SERVER_NAME: string | undefined;
  /** Scheme for external URLs built outside a request. */
  PREFERRED_URL_SCHEME: 'http' | 'https';
  /** URL path of the app's static folder (Flask's static_url_path). */
  STATIC_URL_PATH: string;
  /** The app's static folder, relative to the app root; `''` serves none. */
  STATIC_FOLDER: string;
  /** Cache-Control max-age in seconds for static files and sendFile; unset sends no max-age (Flask's default). */
  SEND_FILE_MAX_AGE: number | undefined;
  /** Recompile templates whose files changed; unset follows DEBUG. */
  TEMPLATES_AUTO_RELOAD: boolean | undefined;
  /** Most fields (url-encoded) or parts (multipart) a form may have; 413 above it (Werkzeug's max_form_parts). */
  MAX_FORM_PARTS: number;
  /** Url-encoded forms: largest body; multipart: largest non-file field, in bytes; 413 above it. */
  MAX_FORM_MEMORY_SIZE: number;
  /** Largest uploaded file in bytes; `undefined`: only MAX_CONTENT_LENGTH bounds it. */
  MAX_FILE_SIZE: number | undefined;
  /** Most files one multipart request may carry; 413 above it. */
  MAX_FILE_COUNT: number;
  /** Deepest nesting a JSON body may have; checked before parsing, 400 above it. */
  JSON_MAX_DEPTH: number;
  /** Where uploads are streamed; `undefined`: a `flagon-uploads-*` folder in the OS temp dir. */
  UPLOAD_TEMP_DIR: string | undefined;
  /** App-wide DTO validation defaults; `@Validate()` overrides them per controller or route. */
  VALIDATION: ValidationDefaults;
  /** Milliseconds a client has to send the request headers (Node's headersTimeout); 408 after. */
  SERVER_HEADERS_TIMEOUT: number;
  /** Milliseconds a client has to send the whole request, body included (Node's requestTimeout); 0 disables. */
  SERVER_REQUEST_TIMEOUT: number;
  /** Milliseconds an idle keep-alive connection stays open; keep it above the proxy's upstream idle timeout. */
  SERVER_KEEP_ALIVE_TIMEOUT: number;
  /** Largest request header block in bytes (Node's maxHeaderSize); Node answers 431 above it. */
  SERVER_MAX_HEADER_SIZE: number;
  /** How often Node sweeps connections for the two timeouts above; Node's own default (30 s) lets a slow socket live 60–90 s. */
  SERVER_CONNECTIONS_CHECKING_INTERVAL: number;
  /**
   * Milliseconds a connection may go without reading or writing a byte while a request is in
   * progress (a client reading the response too slowly, a handler silent for that long) before it
   * is closed, as nginx's send_timeout; 0 disables. Between requests SERVER_KEEP_ALIVE_TIMEOUT applies.
   */
  SERVER_IDLE_TIMEOUT: number;
  /** Most connections open at once (Node's maxConnections); a connection above it is closed as soon as it is accepted. */
  SERVER_MAX_CONNECTIONS: number;
  /** Milliseconds `close()` waits for in-flight requests before force-closing their connections. */
  SHUTDOWN_TIMEOUT: number;
  /** Milliseconds a handler may take before the request is answered 503 FLAGON_HANDLER_TIMEOUT; 0 disables (per route: `@Timeout(ms)`). */
  REQUEST_TIMEOUT: number;
  /** A path (e.g. `/healthz`) answering 200 `{ status: 'ok' }` once started and 503 while shutting down; unset disables it. */
  HEALTH_PATH: string | undefined;
}

/** The class-validator options Flagon applies to every DTO unless a route says otherwise. */
export interface ValidationDefaults {
  /** Strip properties without validation decorators (they never reach the handler). */
  readonly whitelist: boolean;
  /** Fail on properties without decorators instead of stripping them (400 naming them). */
  readonly forbidNonWhitelisted: boolean;
  /** Fail on values that are not instances of a DTO class. */
  readonly forbidUnknownValues: boolean;
}

export type ConfigValues = FlagonSettings & Record<string, unknown>;

export const DEFAULT_SETTINGS: Readonly<FlagonSettings> = Object.freeze({
  NODE_ENV: undefined,
  DEBUG: false,
  TESTING: false,
  PROPAGATE_EXCEPTIONS: undefined,
  SECRET_KEY: undefined,
  MAX_CONTENT_LENGTH: 1024 * 1024,
  TRUST_PROXY: false,
  LOG_LEVEL: undefined,
  LOG_REQUESTS: true,
  LOG_STREAM: 'stdout',
  SERVER_NAME: undefined,
  PREFERRED_URL_SCHEME: 'http',
  STATIC_URL_PATH: '/static',
  STATIC_FOLDER: 'static',
  SEND_FILE_MAX_AGE: undefined,
  TEMPLATES_AUTO_RELOAD: undefined,
  MAX_FORM_PARTS: 1000,
  MAX_FORM_MEMORY_SIZE: 500 * 1024,
  MAX_FILE_SIZE: undefined,
  MAX_FILE_COUNT: 20,
  JSON_MAX_DEPTH: 32,
  UPLOAD_TEMP_DIR: undefined,
  VALIDATION: Object.freeze({
    whitelist: true,
    forbidNonWhitelisted: false,
    forbidUnknownValues: true,
  }),
  SERVER_HEADERS_TIMEOUT: 10_000,
  SERVER_REQUEST_TIMEOUT: 30_000,
  SERVER_KEEP_ALIVE_TIMEOUT: 5_000,
  SERVER_MAX_HEADER_SIZE: 16 * 1024,
  SERVER_CONNECTIONS_CHECKING_INTERVAL: 1_000,
  SERVER_IDLE_TIMEOUT: 60_000,
  SERVER_MAX_CONNECTIONS: 1_000,
  SHUTDOWN_TIMEOUT: 10_000,
  REQUEST_TIMEOUT: 0,
  HEALTH_PATH: undefined,
});

const ENV_PREFIX = 'FLAGON_';

/** The NODE_ENV values that are not production: Flask's "no SECRET_KEY needed to try it out". */
const NON_PRODUCTION_ENVS: readonly (string | undefined)[] = [undefined, '', 'development', 'test'];

/**
 * Environment values are JSON when they parse as JSON (`true`, `1048576`), strings otherwise
 * (Flask's from_prefixed_env); `1` and `0` are booleans for Flagon's boolean settings, so
 * `FLAGON_DEBUG=1` works as it does for most tools.
 */
function parseEnvValue(name: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return text;
  }
  const isBooleanSetting = typeof DEFAULT_SETTINGS[name as keyof FlagonSettings] === 'boolean';
  return isBooleanSetting && (value === 1 || value === 0) ? value === 1 : value;
}

/** DEBUG follows NODE_ENV=development unless a layer sets it (config, FLAGON_DEBUG, `flagon dev`). */
function isDebugSet(layers: readonly Readonly<Record<string, unknown>>[]): boolean {
  return layers.some((layer) => layer['DEBUG'] !== undefined);
}

/**
 * The app's configuration (Flask's `app.config`), injectable as `Config`. Layers, lowest first:
 * Flagon defaults, extension defaults, `createApp({ config })`, `FLAGON_*` environment variables.
 *
 * @example
 * constructor(private readonly config: Config) { this.debug = config.get('DEBUG'); }
 */
export class Config {
  private readonly values: ConfigValues;

  constructor(...layers: readonly Readonly<Record<string, unknown>>[]) {
    this.values = Object.assign(
      Object.create(null) as ConfigValues,
      DEFAULT_SETTINGS,
      ...layers,
    ) as ConfigValues;
    // A partial VALIDATION object (`{ forbidNonWhitelisted: true }`) keeps the other defaults.
    const validation: unknown = this.values.VALIDATION;
    if (typeof validation === 'object' && validation !== null)
      this.values.VALIDATION = { ...DEFAULT_SETTINGS.VALIDATION, ...validation };
    if (!isDebugSet(layers)) this.values.DEBUG = this.values.NODE_ENV === 'development';
    validate(this.values);
  }

  /** Reads the `FLAGON_*` variables of an environment, and NODE_ENV, as a config layer. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
    const layer: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith(ENV_PREFIX) && value !== undefined) {
        const key = name.slice(ENV_PREFIX.length);
        layer[key] = parseEnvValue(key, value);
      }
    }
    const nodeEnv = env['NODE_ENV'];
    if (nodeEnv !== undefined && nodeEnv !== '') layer['NODE_ENV'] = nodeEnv;
    return layer;
  }

  /**
   * Production unless NODE_ENV is unset, `development` or `test` (so `staging` is production):
   * SECRET_KEY is then required and the session cookie gets the `__Host-` prefix.
   *
   * @example
   * if (app.config.isProduction) logger.info('production mode');
   */
  get isProduction(): boolean {
    return !NON_PRODUCTION_ENVS.includes(this.values.NODE_ENV);
  }

  get<TKey extends keyof FlagonSettings>(key: TKey): FlagonSettings[TKey];
  get<TValue = unknown>(key: string): TValue | undefined;
  get(key: string): unknown {
    return this.values[key];
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  toObject(): Readonly<ConfigValues> {
    return { ...this.values };
  }
}

function invalid(key: string, expected: string, value: unknown): FlagonError {
  return new FlagonError(
    'FLAGON_CONFIG_INVALID',
    `${key} must be ${expected}; got ${JSON.stringify(value)}`,
  );
}

function validate(values: ConfigValues): void {
  if (values.NODE_ENV !== undefined && typeof values.NODE_ENV !== 'string')
    throw invalid('NODE_ENV', 'a string or unset', values.NODE_ENV);
  for (const key of ['DEBUG', 'TESTING', 'LOG_REQUESTS'] as const) {
    if (typeof values[key] !== 'boolean') throw invalid(key, 'true or false', values[key]);
  }
  for (const key of [
    'MAX_CONTENT_LENGTH',
    'MAX_FORM_PARTS',
    'MAX_FORM_MEMORY_SIZE',
    'MAX_FILE_COUNT',
    'JSON_MAX_DEPTH',
  ] as const) {
    if (!Number.isSafeInteger(values[key]) || values[key] < 0)
      throw invalid(key, 'a whole number', values[key]);
  }
  if (
    values.MAX_FILE_SIZE !== undefined &&
    !(Number.isSafeInteger(values.MAX_FILE_SIZE) && values.MAX_FILE_SIZE >= 0)
  ) {
    throw invalid('MAX_FILE_SIZE', 'a whole number of bytes or undefined', values.MAX_FILE_SIZE);
  }
  if (values.UPLOAD_TEMP_DIR !== undefined && typeof values.UPLOAD_TEMP_DIR !== 'string') {
    throw invalid('UPLOAD_TEMP_DIR', 'a directory path or undefined', values.UPLOAD_TEMP_DIR);
  }
  const validation = values.VALIDATION as unknown;
  if (typeof validation !== 'object' || validation === null)
    throw invalid('VALIDATION', 'an object', validation);
  for (const key of ['whitelist', 'forbidNonWhitelisted', 'forbidUnknownValues'] as const) {
    if (typeof (validation as Record<string, unknown>)[key] !== 'boolean')
      throw invalid(
        `VALIDATION.${key}`,
        'true or false',
        (validation as Record<string, unknown>)[key],
      );
  }
  const trust = values.TRUST_PROXY;
  if (typeof trust !== 'boolean' && !(Number.isSafeInteger(trust) && trust >= 0)) {
    throw invalid('TRUST_PROXY', 'true, false or a number of proxies', trust);
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- values come from untyped config and the environment
  if (values.LOG_STREAM !== 'stdout' && values.LOG_STREAM !== 'stderr') {
    throw invalid('LOG_STREAM', '"stdout" or "stderr"', values.LOG_STREAM);
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- values come from untyped config and the environment
  if (values.PREFERRED_URL_SCHEME !== 'http' && values.PREFERRED_URL_SCHEME !== 'https') {
    throw invalid('PREFERRED_URL_SCHEME', '"http" or "https"', values.PREFERRED_URL_SCHEME);
  }
  if (typeof values.STATIC_URL_PATH !== 'string' || !values.STATIC_URL_PATH.startsWith('/')) {
    throw invalid('STATIC_URL_PATH', 'a path starting with "/"', values.STATIC_URL_PATH);
  }
  if (typeof values.STATIC_FOLDER !== 'string')
    throw invalid('STATIC_FOLDER', 'a folder path or ""', values.STATIC_FOLDER);
  const maxAge = values.SEND_FILE_MAX_AGE;
  if (maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge >= 0)) {
    throw invalid('SEND_FILE_MAX_AGE', 'a whole number of seconds or unset', maxAge);
  }
  if (
    values.TEMPLATES_AUTO_RELOAD !== undefined &&
    typeof values.TEMPLATES_AUTO_RELOAD !== 'boolean'
  ) {
    throw invalid('TEMPLATES_AUTO_RELOAD', 'true, false or unset', values.TEMPLATES_AUTO_RELOAD);
  }
  validateServerLimits(values);
}

const MILLISECOND_KEYS = [
  'SERVER_HEADERS_TIMEOUT',
  'SERVER_REQUEST_TIMEOUT',
  'SERVER_KEEP_ALIVE_TIMEOUT',
  'SERVER_CONNECTIONS_CHECKING_INTERVAL',
  'SERVER_IDLE_TIMEOUT',
  'SHUTDOWN_TIMEOUT',
  'REQUEST_TIMEOUT',
] as const;

function validateServerLimits(values: ConfigValues): void {
  for (const key of MILLISECOND_KEYS) {
    if (!Number.isSafeInteger(values[key]) || values[key] < 0)
      throw invalid(key, 'a whole number of milliseconds (0 or more)', values[key]);
  }
  if (values.SERVER_CONNECTIONS_CHECKING_INTERVAL === 0) {
    throw invalid(
      'SERVER_CONNECTIONS_CHECKING_INTERVAL',
      'at least 1 millisecond',
      values.SERVER_CONNECTIONS_CHECKING_INTERVAL,
    );
  }
  // Node refuses a server whose headers deadline is later than its whole-request deadline.
  if (
    values.SERVER_REQUEST_TIMEOUT > 0 &&
    values.SERVER_HEADERS_TIMEOUT > values.SERVER_REQUEST_TIMEOUT
  ) {
    throw invalid(
      'SERVER_HEADERS_TIMEOUT',
      `at most SERVER_REQUEST_TIMEOUT (${values.SERVER_REQUEST_TIMEOUT})`,
      values.SERVER_HEADERS_TIMEOUT,
    );
  }
  if (!Number.isSafeInteger(values.SERVER_MAX_HEADER_SIZE) || values.SERVER_MAX_HEADER_SIZE < 1) {
    throw invalid(
      'SERVER_MAX_HEADER_SIZE',
      'a whole number of bytes (1 or more)',
      values.SERVER_MAX_HEADER_SIZE,
    );
  }
  if (!Number.isSafeInteger(values.SERVER_MAX_CONNECTIONS) || values.SERVER_MAX_CONNECTIONS < 1) {
    throw invalid(
      'SERVER_MAX_CONNECTIONS',
      'a whole number of connections (1 or more)',
      values.SERVER_MAX_CONNECTIONS,
    );
  }
  const health = values.HEALTH_PATH;
  if (health !== undefined && (typeof health !== 'string' || !/^\/[\w./-]*$/.test(health))) {
    throw invalid('HEALTH_PATH', 'a plain path such as "/healthz"', health);
  }
}
