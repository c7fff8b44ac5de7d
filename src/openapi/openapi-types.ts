import type { JsonSchema } from '../schema/json-schema';

/** An OpenAPI 3.1 parameter (path, query, header or cookie). */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

/** One media type of a request or response body. */
export interface OpenApiMediaType {
  schema?: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMediaType>;
}

/** A reference into `components` (`#/components/responses/…`). */
export interface OpenApiReference {
  $ref: string;
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: (OpenApiParameter | OpenApiReference)[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
  security?: Record<string, string[]>[];
}

/** The methods an OpenAPI path item has (HEAD and OPTIONS are Flagon's own, not documented). */
export type OpenApiMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export type OpenApiPathItem = Partial<Record<OpenApiMethod, OpenApiOperation>> & {
  parameters?: OpenApiParameter[];
};

export interface OpenApiSecurityScheme {
  type: 'apiKey';
  in: 'cookie' | 'header' | 'query';
  name: string;
  description?: string;
}

/** `servers` entries: where the API is reached. */
export interface OpenApiServer {
  url: string;
  description?: string;
}

/**
 * An OpenAPI 3.1 document as Flagon builds it: plain JSON-ready data.
 *
 * @example
 * const document: OpenApiDocument = app.openapi();
 * console.log(Object.keys(document.paths));
 */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: OpenApiServer[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses?: Record<string, OpenApiResponse>;
    securitySchemes?: Record<string, OpenApiSecurityScheme>;
  };
}
