import { Inject, type Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { FileResponse } from '../files/send-file';
import { NotFound } from '../errors/http-errors';
import { Param } from '../http/params';
import { Response } from '../http/response';
import { Module, type ConfiguredModule } from '../modules/module';
import { Get, Route } from '../routing/decorators';
import { Doc } from './doc-decorator';
import { DOCS_ASSETS, docsAssetPath, renderDocsPage, type DocsAsset } from './docs-page';
import { OPENAPI_OPTIONS, OpenApiService, type OpenApiModuleOptions } from './openapi-service';

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
      return Response.html(page.html, {
        headers: { 'content-security-policy': page.contentSecurityPolicy },
      });
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
export class OpenApiModule {
  static configure(options: OpenApiModuleOptions): ConfiguredModule {
    return {
      module: OpenApiModule,
      controllers: [openApiController(options)],
      providers: [{ provide: OPENAPI_OPTIONS, useValue: options }, OpenApiService],
    };
  }
}
