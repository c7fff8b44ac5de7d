import { OPENAPI_SOURCE } from '../app/openapi-source';
import { Inject, type Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { FileResponse } from '../files/send-file';
import { NotFound } from '../errors/http-errors';
import { Param } from '../http/params';
import { Response } from '../http/response';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module, type ConfiguredModule } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { RouteMetadata } from '../modules/route-metadata';
import { Get, Route } from '../routing/decorators';
import { CsrfProtection } from '../security/csrf';
import { guardNames } from '../security/guards';
import { Doc } from './doc-decorator';
import { describeRoute } from './documented-route';
import { DOCS_ASSETS, docsAssetPath, renderDocsPage, type DocsAsset } from './docs-page';
import { OPENAPI_OPTIONS, OpenApiService, type OpenApiModuleOptions } from './openapi-service';

/** The docs page's own Content-Security-Policy, recorded on its route for `onRoute` to apply. */
const DOCS_PAGE_POLICY = Symbol('flagon:docs-page-policy');

function checkPath(name: 'path' | 'docs', value: string | false): void {
  if (value !== false && !value.startsWith('/'))
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `OpenApiModule.configure({ ${name}: ${JSON.stringify(value)} }): expected a path starting with "/" or false`,
    );
}

function serversOrigins(options: OpenApiModuleOptions): string[] {
  const origins = new Set<string>();
  for (const server of options.servers ?? []) {
    // Relative server URLs are the page's own origin, already allowed.
    if (URL.canParse(server.url)) origins.add(new URL(server.url).origin);
  }
  return [...origins];
}

/** The controller serving the document and the docs page at the configured paths. */
function openApiController(options: OpenApiModuleOptions): Constructor {
  const path = options.path ?? '/openapi.json';
  const docs = options.docs ?? '/docs';
  checkPath('path', path);
  checkPath('docs', docs);
  const page =
    docs === false || path === false
      ? undefined
      : renderDocsPage({
          title: options.title,
          documentUrl: path,
          assetsUrl: docs,
          connectOrigins: serversOrigins(options),
        });
  const assets = new Map<string, string>(
    docs === false ? [] : DOCS_ASSETS.map((asset: DocsAsset) => [asset, docsAssetPath(asset)]),
  );

  @Doc({ hidden: true })
  @Route('/')
  class OpenApiController {
    constructor(@Inject(OpenApiService) private readonly openapi: OpenApiService) {}

    document(): Response {
      return Response.json(this.openapi.document());
    }

    page(): Response {
      if (!page) throw new NotFound('The docs page needs the document: set OpenApiModule path');
      return Response.html(page.html);
    }

    asset(@Param('name') name: string): FileResponse {
      const file = assets.get(name);
      if (file === undefined) throw new NotFound(`No docs asset ${name}`);
      return new FileResponse(file, { maxAge: 3600 });
    }
  }
  const prototype = OpenApiController.prototype;
  const method = (name: keyof OpenApiController): PropertyDescriptor =>
    Object.getOwnPropertyDescriptor(prototype, name) as PropertyDescriptor;
  if (path !== false) Get(path, { name: 'document' })(prototype, 'document', method('document'));
  if (docs !== false) {
    Get(docs, { name: 'docs' })(prototype, 'page', method('page'));
    if (page)
      RouteMetadata(DOCS_PAGE_POLICY, page.contentSecurityPolicy)(
        prototype,
        'page',
        method('page'),
      );
    Get(`${docs.replace(/\/+$/, '')}/<name>`, { name: 'docsAsset' })(
      prototype,
      'asset',
      method('asset'),
    );
  }
  return OpenApiController;
}

/**
 * Serves the app's OpenAPI 3.1 document (at `path`, default `/openapi.json`) and a docs page
 * rendering it with Swagger UI from the installed swagger-ui-dist (at `docs`, default `/docs`),
 * under a Content-Security-Policy of its own that allows nothing inline but its one hashed script.
 * The document comes from what routes already declare: rules, DTOs, `@Status`, guards, CSRF.
 *
 * @example
 * createApp({ modules: [AppModule, OpenApiModule.configure({ title: 'Blog API', version: '1.0.0' })] });
 */
@Module({ name: 'openapi' })
export class OpenApiModule implements OnRoute {
  constructor(
    // Injected under the token app.openapi() resolves, so the container prepares that token too.
    @Inject(OPENAPI_SOURCE) private readonly openapi: OpenApiService,
    @Inject(CsrfProtection) private readonly csrf: CsrfProtection,
  ) {}

  static configure(options: OpenApiModuleOptions): ConfiguredModule {
    return {
      module: OpenApiModule,
      controllers: [openApiController(options)],
      providers: [
        { provide: OPENAPI_OPTIONS, useValue: options },
        OpenApiService,
        {
          provide: OPENAPI_SOURCE,
          useFactory: (service: OpenApiService) => service,
          inject: [OpenApiService],
        },
      ],
    };
  }

  /**
   * Every route the app prepares goes into the document, and none gets a step from this module.
   * The docs page alone gets its policy as route headers: they replace the default CSP on that
   * route only (a later extension's header wins over the built-in security headers).
   */
  onRoute(route: RouteInfo): RouteSetup | undefined {
    this.openapi.addRoute(
      describeRoute({
        method: route.method,
        rule: route.rule,
        endpoint: route.endpoint,
        module: route.module,
        controller: route.controller,
        methodName: route.methodName,
        guards: guardNames(route),
        isCsrfProtected: this.csrf.protects(route),
      }),
    );
    const policy = route.metadata<string>(DOCS_PAGE_POLICY);
    return policy === undefined ? undefined : { headers: { 'content-security-policy': policy } };
  }
}
