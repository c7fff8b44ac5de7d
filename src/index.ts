// Decorator metadata must be available before any decorated class is evaluated.
import 'reflect-metadata';

// App
export { createApp } from './create-app';
export { FlagonApp } from './app/flagon-app';
export type { CreateAppOptions } from './app/flagon-app';
export { Config, DEFAULT_SETTINGS } from './config/config';
export type { ConfigValues, FlagonSettings } from './config/config';
export { currentRequest, g } from './context/request-context';
export { LOGGER } from './config/logger';
export type { Logger } from './config/logger';
export type { ListenOptions } from './app/lifecycle';
export type { AfterStep, BeforeStep, TeardownStep } from './modules/extension';

// Routing
export {
  Route,
  Get,
  Post,
  Put,
  Patch,
  Delete,
  Head,
  Options,
  HTTP_METHODS,
} from './routing/decorators';
export type { HttpMethod, RouteOptions } from './routing/decorators';
export { BUILTIN_CONVERTERS } from './routing/converters';
export type { Converter } from './routing/converters';
export type { RouteInfo } from './modules/route-info';
export { urlFor } from './routing/url-for-context';
export type { EndpointName, EndpointParams } from './routing/endpoints';

/**
 * The app's endpoints and their URL variables, for type-checked `urlFor` calls. Empty in Flagon
 * itself: `flagon routes --types --out src/endpoints.d.ts` writes a declaration that fills it in
 * (module augmentation); until then `urlFor` takes any string.
 *
 * @example
 * // src/endpoints.d.ts, written by `flagon routes --types`
 * declare module 'flagon' {
 *   interface Endpoints { 'blog.PostController.show': { id: number } }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface Endpoints {}
export type { UrlForOptions, UrlParams } from './routing/url-for';
// What `flagon routes --types` writes, for a test that the committed declaration is current.
export { endpointDeclaration } from './cli/endpoint-declaration';

// HTTP
export { Request } from './http/request';
export type { QueryValue } from './http/request';
export { Response } from './http/response';
export type { ResponseBody, ResponseInit, HeaderValue } from './http/response';
export { redirect } from './http/redirect';
export type { CookieOptions } from './http/cookies';
export { Param, Query, Headers, Req, Body, createParamDecorator } from './http/params';
export type { ArgumentResolver, ParameterInfo } from './http/params';
export { Status, Header, Returns } from './http/response-decorators';
export type { ReturnsOptions } from './http/response-decorators';

// Input: validation, body parsing, uploads
export { ValidatedBody } from './http/params';
export { BodyLimits } from './http/body/body-plan';
export { Consumes } from './http/body/consumes';
export type { BodyKind } from './http/body/consumes';
export type { BodyLimitOptions, UploadRule } from './http/body/body-plan';
export { UploadedFile, UploadedFiles } from './http/uploaded-file';
export type { UploadedFileOptions } from './http/uploaded-file';
export { secureFilename } from './http/upload/secure-filename';
export { sniffMimeType } from './http/upload/sniff-mime';
export { validate, compileDto } from './validation/dto';
export type { DtoPipeline, Validated, ValidationOptions } from './validation/dto';
export { Validate } from './validation/validate-decorator';
export { ValidationFailed } from './validation/validation-error';
export type { FieldErrors } from './validation/validation-error';
export type { ValidationDefaults } from './config/config';

// Dependency injection
export { Injectable, Inject } from './di/tokens';
export type { Constructor, InjectionToken, Provider, ProviderDefinition, Scope } from './di/tokens';

// Modules
export { Module } from './modules/module';
export type {
  ModuleOptions,
  ModuleRef,
  ConfiguredModule,
  OnInit,
  OnShutdown,
} from './modules/module';
export { BeforeRequest, AfterRequest, Teardown, ErrorHandler } from './modules/hooks';
export type { ErrorMatcher } from './modules/hooks';

// Extensions: app-wide hooks, per-route setup, route metadata, per-request slots
export { BeforeAppRequest, AfterAppRequest, AppTeardown, AppErrorHandler } from './modules/hooks';
export type { OnRoute, RouteSetup, RouteHeaders, OnHealthCheck } from './modules/extension';
export { RouteMetadata } from './modules/route-metadata';
export type { ClassOrMethodDecorator, MetadataKey } from './modules/route-metadata';
export type { ModuleSetup } from './modules/module';
export { RequestSlot } from './http/request-slot';

// Errors
export { FlagonError, isFlagonError } from './errors/flagon-error';
export type { FlagonErrorOptions } from './errors/flagon-error';
export { ERROR_CODES } from './errors/codes';
export type { FlagonErrorCode } from './errors/codes';
export {
  HttpError,
  isHttpError,
  abort,
  httpError,
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  NotAcceptable,
  RequestTimeout,
  Conflict,
  Gone,
  LengthRequired,
  PreconditionFailed,
  PayloadTooLarge,
  UriTooLong,
  UnsupportedMediaType,
  RangeNotSatisfiable,
  UnprocessableEntity,
  TooManyRequests,
  RequestHeaderFieldsTooLarge,
  InternalServerError,
  NotImplemented,
  BadGateway,
  ServiceUnavailable,
  GatewayTimeout,
} from './errors/http-errors';

// Views, static files and streaming
export { ViewEngine } from './views/engine';
export type { TemplateHelper, ContextProcessor, ViewContributions } from './views/engine';
export { render, Render } from './views/render';
export { viewEngineOf } from './views/install';
export { toScriptJson, safeHtml, escapeHtml } from './views/helpers';
export type { SafeHtml } from './views/helpers';
export { FileResponse, sendFile, sendFromDirectory } from './files/send-file';
export type { SendFileOptions } from './files/send-file';
export { sse, formatEvent } from './http/sse';
export type { ServerSentEvent } from './http/sse';

// Sessions
export { HttpSession } from './sessions/session';
export type { SessionData } from './sessions/session';
export { Session, session, loadSession } from './sessions/session-context';
export type { SessionStore, StoredSession } from './sessions/store';
export { MemoryStore } from './sessions/memory-store';
export { RedisStore } from './sessions/redis-store';
export type { RedisStoreOptions } from './sessions/redis-store';
export { flash, getFlashedMessages } from './sessions/flash';
export type { FlashOptions } from './sessions/flash';

// Security
export { SESSION_MANAGER } from './sessions/session-manager';
export { CsrfExempt, csrfToken, csrfField } from './security/csrf';
export { SecurityHeaders, DEFAULT_SECURITY_HEADERS } from './security/headers';
export type { SecurityHeaderValues } from './security/headers';
export { UseGuards, LoginRequired, Roles } from './security/guards';
export type { Guard, GuardRef } from './security/guards';
export {
  UserLoader,
  loginUser,
  logoutUser,
  currentUser,
  loadCurrentUser,
  CurrentUser,
} from './security/login';
export { LoginModule, LOGIN_MANAGER } from './security/login-module';
export type { LoginModuleOptions } from './security/login-module';
export { hashPassword, needsRehash, verifyPassword } from './security/passwords';
export type { PasswordHashOptions } from './security/passwords';
export { safeNext } from './security/safe-redirect';
export { loadEnv } from './security/load-env';

// APIs: OpenAPI documents
export { Doc } from './openapi/doc-decorator';
export type { DocOptions } from './openapi/doc-decorator';
export type { OpenApiDocument } from './openapi/openapi-types';
export { OpenApiModule } from './openapi/openapi-module';
export type { OpenApiModuleOptions } from './openapi/openapi-service';

// APIs: CORS
export { CorsModule } from './cors/cors-module';
export { Cors } from './cors/cors-decorator';
export type { CorsOptions, CorsOrigins } from './cors/cors-policy';

// Rate limits: RateLimitModule on rate-limiter-flexible (Redis through the optional ioredis peer)
export { RateLimitModule } from './rate-limit/rate-limit-module';
export type { RateLimitModuleOptions } from './rate-limit/rate-limit-module';
export { RateLimit } from './rate-limit/rate-limit-decorator';
export type { FormReader, RateLimitKey, RateLimitOptions } from './rate-limit/rate-limit-decorator';

// Database: DatabaseModule on Kysely (kysely, and pg or better-sqlite3, are optional peers)
export { DatabaseModule } from './database/database-module';
export { DATABASE } from './database/database-options';
export type {
  DatabaseOptions,
  DatabaseMigrationOptions,
  DatabasePoolOptions,
} from './database/database-options';
export type { DatabaseEngine } from './database/database-url';
export { DatabaseMigrations } from './database/database-migrations';
export type { MigrationState } from './database/database-migrations';
export { runInTransaction } from './database/run-in-transaction';
export { Transactional } from './database/transactional';
export { databaseEngine } from './database/database-engine';
export { isUniqueViolation } from './database/unique-violation';
export { beginTestTransaction } from './database/test-transaction';
export type { TestTransaction } from './database/test-transaction';
export { createTestDatabase } from './database/test-database';
export type { TestDatabase } from './database/test-database';

// Testing
export { TestClient } from './testing/test-client';
export type { TestRequestOptions, TestResponse } from './testing/test-client';

// Production: graceful shutdown, request timeouts, workers
export { installSignalHandlers } from './app/signals';
export type { ClosableApp, SignalHandlerOptions } from './app/signals';
export { Timeout } from './app/request-timeout';
export { runCluster } from './app/cluster';
export type { ClusterOptions, ClusterPrimary, ClusterLogger } from './app/cluster';

// CLI: commands extension modules contribute to `flagon`
export type { CliCommand, CliCommandContext } from './cli/cli-command';
