import type { OpenApiDocument } from '../openapi/openapi-types';

/** What `app.openapi()` reads: the document of the mounted OpenApiModule. */
export interface OpenApiSource {
  document(): OpenApiDocument;
}

/**
 * DI token under which OpenApiModule provides its document. It lives beside FlagonApp so the app
 * can ask for the document without depending on the optional OpenAPI extension.
 */
export const OPENAPI_SOURCE = Symbol('flagon:openapi-source');
