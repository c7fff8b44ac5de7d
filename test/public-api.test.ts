import { join } from 'node:path';
import ts from 'typescript';
import * as api from '../src';
import * as testing from '../src/testing';

// The public API, listed by hand: adding, renaming or removing an export of src/index.ts must show
// up as a deliberate diff of these arrays (sorted, so the diff is one line).
const VALUE_EXPORTS = [
  'AfterAppRequest',
  'AfterRequest',
  'AppErrorHandler',
  'AppTeardown',
  'BUILTIN_CONVERTERS',
  'BadGateway',
  'BadRequest',
  'BeforeAppRequest',
  'BeforeRequest',
  'Body',
  'BodyLimits',
  'Config',
  'Conflict',
  'Cors',
  'CorsModule',
  'Consumes',
  'CsrfExempt',
  'CurrentUser',
  'DATABASE',
  'DEFAULT_SECURITY_HEADERS',
  'DEFAULT_SETTINGS',
  'DatabaseMigrations',
  'DatabaseModule',
  'Delete',
  'Doc',
  'ERROR_CODES',
  'ErrorHandler',
  'FileResponse',
  'FlagonApp',
  'FlagonError',
  'Forbidden',
  'GatewayTimeout',
  'Get',
  'Gone',
  'HTTP_METHODS',
  'Head',
  'Header',
  'Headers',
  'HttpError',
  'HttpSession',
  'Inject',
  'Injectable',
  'InternalServerError',
  'LOGGER',
  'LOGIN_MANAGER',
  'LengthRequired',
  'LoginModule',
  'LoginRequired',
  'MemoryStore',
  'MethodNotAllowed',
  'Module',
  'NotAcceptable',
  'NotFound',
  'NotImplemented',
  'OpenApiModule',
  'Options',
  'Param',
  'Patch',
  'PayloadTooLarge',
  'Post',
  'PreconditionFailed',
  'Put',
  'Query',
  'RangeNotSatisfiable',
  'RateLimit',
  'RateLimitModule',
  'RedisStore',
  'Render',
  'Req',
  'Request',
  'RequestHeaderFieldsTooLarge',
  'RequestSlot',
  'RequestTimeout',
  'Response',
  'Returns',
  'Roles',
  'Route',
  'RouteMetadata',
  'SESSION_MANAGER',
  'SecurityHeaders',
  'ServiceUnavailable',
  'Session',
  'Status',
  'Teardown',
  'TestClient',
  'Timeout',
  'TooManyRequests',
  'Transactional',
  'Unauthorized',
  'UnprocessableEntity',
  'UnsupportedMediaType',
  'UploadedFile',
  'UploadedFiles',
  'UriTooLong',
  'UseGuards',
  'UserLoader',
  'Validate',
  'ValidatedBody',
  'ValidationFailed',
  'ViewEngine',
  'abort',
  'beginTestTransaction',
  'compileDto',
  'createApp',
  'createParamDecorator',
  'createTestDatabase',
  'csrfField',
  'csrfToken',
  'currentRequest',
  'currentUser',
  'databaseEngine',
  'endpointDeclaration',
  'escapeHtml',
  'flash',
  'formatEvent',
  'g',
  'getFlashedMessages',
  'hashPassword',
  'httpError',
  'installSignalHandlers',
  'isFlagonError',
  'isHttpError',
  'isUniqueViolation',
  'loadCurrentUser',
  'loadEnv',
  'loadSession',
  'loginUser',
  'logoutUser',
  'needsRehash',
  'redirect',
  'render',
  'runCluster',
  'runInTransaction',
  'safeHtml',
  'safeNext',
  'secureFilename',
  'sendFile',
  'sendFromDirectory',
  'session',
  'sniffMimeType',
  'sse',
  'toScriptJson',
  'urlFor',
  'validate',
  'verifyPassword',
  'viewEngineOf',
];

const TYPE_EXPORTS = [
  'AfterStep',
  'ArgumentResolver',
  'BeforeStep',
  'BodyKind',
  'BodyLimitOptions',
  'ClassOrMethodDecorator',
  'CliCommand',
  'CliCommandContext',
  'ClosableApp',
  'ClusterLogger',
  'ClusterOptions',
  'ClusterPrimary',
  'ConfigValues',
  'ConfiguredModule',
  'Constructor',
  'ContextProcessor',
  'Converter',
  'CookieOptions',
  'CorsOptions',
  'CorsOrigins',
  'CreateAppOptions',
  'DatabaseEngine',
  'DatabaseMigrationOptions',
  'DatabaseOptions',
  'DatabasePoolOptions',
  'DocOptions',
  'DtoPipeline',
  'EndpointName',
  'EndpointParams',
  'Endpoints',
  'ErrorMatcher',
  'FieldErrors',
  'FlagonErrorCode',
  'FlagonErrorOptions',
  'FlagonSettings',
  'FlashOptions',
  'FormReader',
  'Guard',
  'GuardRef',
  'HeaderValue',
  'HttpMethod',
  'InjectionToken',
  'ListenOptions',
  'Logger',
  'LoginModuleOptions',
  'MetadataKey',
  'MigrationState',
  'ModuleOptions',
  'ModuleRef',
  'ModuleSetup',
  'OnHealthCheck',
  'OnInit',
  'OnRoute',
  'OnShutdown',
  'OpenApiDocument',
  'OpenApiModuleOptions',
  'ParameterInfo',
  'PasswordHashOptions',
  'Provider',
  'ProviderDefinition',
  'QueryValue',
  'RateLimitKey',
  'RateLimitModuleOptions',
  'RateLimitOptions',
  'RedisStoreOptions',
  'ResponseBody',
  'ResponseInit',
  'ReturnsOptions',
  'RouteHeaders',
  'RouteInfo',
  'RouteOptions',
  'RouteSetup',
  'SafeHtml',
  'Scope',
  'SecurityHeaderValues',
  'SendFileOptions',
  'ServerSentEvent',
  'SessionData',
  'SessionStore',
  'SignalHandlerOptions',
  'StoredSession',
  'TeardownStep',
  'TemplateHelper',
  'TestDatabase',
  'TestRequestOptions',
  'TestResponse',
  'TestTransaction',
  'UploadRule',
  'UploadedFileOptions',
  'UrlForOptions',
  'UrlParams',
  'Validated',
  'ValidationDefaults',
  'ValidationOptions',
  'ViewContributions',
];

// flagon/testing (src/testing/index.ts), listed the same way.
const TESTING_VALUE_EXPORTS = ['TestClient'];
const TESTING_TYPE_EXPORTS = ['TestRequestOptions', 'TestResponse', 'TestableApp'];

function valueNames(module: object): string[] {
  return Object.keys(module)
    .filter((name) => name !== '__esModule')
    .sort();
}

const runtimeNames = valueNames(api);

/** Every name an entry (src/index.ts by default) exports, types included, as the compiler sees them. */
function compilerExportNames(entry = join(__dirname, '..', 'src', 'index.ts')): string[] {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    strict: true,
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} did not compile to a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => symbol.name)
    .sort();
}

describe('public API (src/index.ts)', () => {
  it('exports exactly these values', () => {
    expect(runtimeNames).toEqual([...VALUE_EXPORTS].sort());
  });

  it('exports no undefined value', () => {
    expect(
      runtimeNames.filter((name) => (api as Record<string, unknown>)[name] === undefined),
    ).toEqual([]);
  });

  it('exports exactly these types', () => {
    const typeOnly = compilerExportNames().filter((name) => !runtimeNames.includes(name));
    expect(typeOnly).toEqual([...TYPE_EXPORTS].sort());
  }, 60_000);
});

describe('public API of flagon/testing (src/testing/index.ts)', () => {
  it('exports exactly these values and types', () => {
    const values = valueNames(testing);
    expect(values).toEqual([...TESTING_VALUE_EXPORTS].sort());
    const typeOnly = compilerExportNames(
      join(__dirname, '..', 'src', 'testing', 'index.ts'),
    ).filter((name) => !values.includes(name));
    expect(typeOnly).toEqual([...TESTING_TYPE_EXPORTS].sort());
  }, 60_000);

  it('gives the same TestClient as the root entry', () => {
    expect(testing.TestClient).toBe(api.TestClient);
  });
});
