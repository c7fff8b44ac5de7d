import { Config } from '../config/config';
import { Inject, Injectable } from '../di/tokens';
import { buildOpenApiDocument, type OpenApiDocumentOptions } from './build-document';
import type { DocumentedRoute } from './documented-route';
import type { OpenApiDocument, OpenApiServer } from './openapi-types';

/** `OpenApiModule.configure`'s options. */
export interface OpenApiModuleOptions {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly servers?: readonly OpenApiServer[];
  /** Where the document is served; `false` serves none. Default `/openapi.json`. */
  readonly path?: string | false;
  /** Where the docs page is served; `false` serves none. Default `/docs`. */
  readonly docs?: string | false;
}

/** DI token of the options given to `OpenApiModule.configure`. */
export const OPENAPI_OPTIONS = Symbol('flagon:openapi-options');

/**
 * The app's OpenAPI document: the routes it documents and the document built from them once,
 * on first use after the last route was added, with the app's session cookie, CSRF header and
 * validation settings.
 */
@Injectable()
export class OpenApiService {
  private readonly routes: DocumentedRoute[] = [];
  private built: OpenApiDocument | undefined;

  constructor(
    @Inject(OPENAPI_OPTIONS) readonly options: OpenApiModuleOptions,
    @Inject(Config) private readonly config: Config,
  ) {}

  /** Adds a route to the document (at startup, before the document is first read). */
  addRoute(route: DocumentedRoute): void {
    this.routes.push(route);
    this.built = undefined;
  }

  /** The document (the same object until a route is added). */
  document(): OpenApiDocument {
    this.built ??= buildOpenApiDocument(this.routes, this.documentOptions());
    return this.built;
  }

  private documentOptions(): OpenApiDocumentOptions {
    const { title, version, description, servers } = this.options;
    return {
      title,
      version,
      ...(description === undefined ? {} : { description }),
      ...(servers === undefined ? {} : { servers }),
      sessionCookieName: this.config.get<string | undefined>('SESSION_COOKIE_NAME') ?? 'session',
      csrfHeaderName: this.config.get<string | undefined>('CSRF_HEADER_NAME') ?? 'X-CSRF-Token',
      forbidUnknown: this.config.get('VALIDATION').forbidNonWhitelisted,
    };
  }
}
