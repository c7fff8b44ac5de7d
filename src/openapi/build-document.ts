import { STATUS_CODES } from 'node:http';
import { readShape } from '../http/response-serializer';
import type { JsonSchema } from '../schema/json-schema';
import { SchemaRegistry } from '../schema/schema-registry';
import type { DocumentedRoute } from './documented-route';
import type {
  OpenApiDocument,
  OpenApiMediaType,
  OpenApiMethod,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
  OpenApiServer,
} from './openapi-types';
import { CONVERTER_SCHEMAS, toPathTemplate } from './path-template';
import {
  ERROR_SCHEMA,
  SHARED_RESPONSES,
  VALIDATION_FAILED_SCHEMA,
  type SharedResponse,
} from './shared-components';

/** The document's own settings: what `OpenApiModule.configure` takes, plus app settings. */
export interface OpenApiDocumentOptions {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly servers?: readonly OpenApiServer[];
  /** The session cookie's name (SESSION_COOKIE_NAME): guarded routes list it as their security. */
  readonly sessionCookieName?: string;
  /** The CSRF header (CSRF_HEADER_NAME), a parameter of CSRF-protected routes. */
  readonly csrfHeaderName?: string;
  /** Input DTOs refuse unknown keys (VALIDATION.forbidNonWhitelisted). */
  readonly forbidUnknown?: boolean;
  /** Schemas of custom converters' values by converter name (a string otherwise). */
  readonly converterSchemas?: Readonly<Record<string, JsonSchema>>;
}

const METHODS: Readonly<Partial<Record<string, OpenApiMethod>>> = {
  GET: 'get',
  POST: 'post',
  PUT: 'put',
  PATCH: 'patch',
  DELETE: 'delete',
};

const SESSION_SCHEME = 'session';

/** Builds one document; holds the schemas and operation ids seen so far. */
class DocumentBuilder {
  readonly registry: SchemaRegistry;
  readonly shared = new Set<SharedResponse>();
  private readonly usedIds = new Set<string>();
  hasSecurity = false;

  constructor(
    readonly options: OpenApiDocumentOptions,
    private readonly operationIds: ReadonlyMap<string, number>,
  ) {
    this.registry = new SchemaRegistry({
      forbidUnknown: options.forbidUnknown ?? false,
      reserved: ['Error', 'ValidationFailed'],
    });
  }

  operation(route: DocumentedRoute, method: OpenApiMethod): OpenApiOperation {
    const { doc } = route;
    const tags = [...new Set([route.module || route.controller.name, ...(doc.tags ?? [])])];
    const parameters = [...this.pathParameters(route), ...this.queryParameters(route)];
    const csrf = this.csrfParameter(route);
    if (csrf) parameters.push(csrf);
    const security = this.security(route);
    return {
      operationId: this.uniqueId(doc.operationId ?? this.operationId(route, method)),
      ...(doc.summary === undefined ? {} : { summary: doc.summary }),
      ...(doc.description === undefined ? {} : { description: doc.description }),
      tags,
      ...(doc.deprecated === true ? { deprecated: true } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...this.requestBody(route),
      responses: this.responses(route),
      ...(security ? { security } : {}),
    };
  }

  /** The endpoint; an endpoint answering several methods or rules gets the method (and a number) too. */
  private operationId(route: DocumentedRoute, method: OpenApiMethod): string {
    return (this.operationIds.get(route.endpoint) ?? 0) > 1
      ? `${route.endpoint}.${method}`
      : route.endpoint;
  }

  /** operationIds must be unique: a handler on two rules, or a repeated `@Doc` id, gets a number. */
  private uniqueId(base: string): string {
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}_${n}`;
    this.usedIds.add(id);
    return id;
  }

  private pathParameters(route: DocumentedRoute): OpenApiParameter[] {
    const dtoSchema = route.paramDto
      ? this.registry.schemaOf(route.paramDto, 'input').properties
      : undefined;
    return toPathTemplate(route.rule).variables.map(({ name, converter }) => ({
      name,
      in: 'path',
      required: true,
      ...(converter === 'path' ? { description: 'The rest of the path; may contain `/`' } : {}),
      schema: this.converterSchema(converter, dtoSchema?.[name]),
    }));
  }

  private converterSchema(converter: string, fromDto: JsonSchema | undefined): JsonSchema {
    const own = this.options.converterSchemas?.[converter] ?? CONVERTER_SCHEMAS[converter];
    // A `@Param()` DTO refines a plain string variable (a pattern, a length); typed converters say more.
    if (converter === 'string' && fromDto !== undefined) return fromDto;
    return own ?? { type: 'string' };
  }

  private queryParameters(route: DocumentedRoute): OpenApiParameter[] {
    const parameters: OpenApiParameter[] = [];
    if (route.queryDto) {
      const schema = this.registry.schemaOf(route.queryDto, 'input');
      const required = new Set(schema.required ?? []);
      for (const [name, property] of Object.entries(schema.properties ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: required.has(name),
          schema: withoutNull(property),
        });
    }
    for (const { name, type } of route.namedQuery) {
      if (parameters.some((parameter) => parameter.name === name)) continue;
      parameters.push({
        name,
        in: 'query',
        required: false,
        schema: type === Array ? { type: 'array', items: { type: 'string' } } : { type: 'string' },
      });
    }
    return parameters;
  }

  private csrfParameter(route: DocumentedRoute): OpenApiParameter | undefined {
    if (route.isCsrfProtected !== true) return undefined;
    const name = this.options.csrfHeaderName ?? 'X-CSRF-Token';
    // A form post may carry the token as a field instead; a JSON body cannot.
    const hasFormBody = route.bodyMediaTypes.some(
      (type) => type !== 'application/json' && type !== 'text/plain',
    );
    return {
      name,
      in: 'header',
      required: !hasFormBody,
      description: `The CSRF token (the page's csrf-token meta tag)${hasFormBody ? '; form bodies may send it as the csrf_token field instead' : ''}`,
      schema: { type: 'string' },
    };
  }

  private requestBody(route: DocumentedRoute): Pick<OpenApiOperation, 'requestBody'> {
    if (route.bodyMediaTypes.length === 0) return {};
    const schema = route.bodyDto ? this.registry.ref(route.bodyDto, 'input') : undefined;
    const content: Record<string, OpenApiMediaType> = {};
    for (const type of route.bodyMediaTypes) {
      if (type === 'multipart/form-data' && route.uploads.length > 0)
        content[type] = { schema: uploadSchema(route, schema) };
      else if (schema) content[type] = { schema };
      else content[type] = type === 'text/plain' ? { schema: { type: 'string' } } : {};
    }
    return { requestBody: { required: true, content } };
  }

  private responses(route: DocumentedRoute): OpenApiOperation['responses'] {
    const responses: OpenApiOperation['responses'] = {};
    const success = route.returns.find((declared) => declared.status === undefined);
    responses[String(route.successStatus)] = this.successResponse(route, success);
    for (const declared of route.returns) {
      if (declared.status === undefined) continue;
      responses[String(declared.status)] = this.declaredResponse(declared.status, declared);
    }
    const guards = route.guards ?? [];
    const hasDto = route.bodyDto ?? route.queryDto ?? route.paramDto;
    if (hasDto !== undefined) this.share(responses, '400', 'ValidationFailed');
    else if (route.bodyMediaTypes.length > 0 || route.isCsrfProtected === true)
      this.share(responses, '400', 'BadRequest');
    if (guards.some((guard) => guard === 'LoginRequired' || guard.startsWith('Roles(')))
      this.share(responses, '401', 'Unauthorized');
    if (guards.some((guard) => guard !== 'LoginRequired'))
      this.share(responses, '403', 'Forbidden');
    if (route.bodyMediaTypes.length > 0) {
      this.share(responses, '413', 'PayloadTooLarge');
      this.share(responses, '415', 'UnsupportedMediaType');
    }
    return responses;
  }

  private share(
    responses: OpenApiOperation['responses'],
    status: string,
    name: SharedResponse,
  ): void {
    if (status in responses) return;
    this.shared.add(name);
    responses[status] = { $ref: `#/components/responses/${name}` };
  }

  private successResponse(
    route: DocumentedRoute,
    declared: DocumentedRoute['returns'][number] | undefined,
  ): OpenApiResponse {
    if (declared) return this.declaredResponse(route.successStatus, declared);
    const description = STATUS_CODES[route.successStatus] ?? 'Success';
    if (route.successStatus === 204) return { description };
    if (route.returnType === String) return { description, content: { 'text/html': {} } };
    return { description, content: { 'application/json': {} } };
  }

  private declaredResponse(
    status: number,
    declared: DocumentedRoute['returns'][number],
  ): OpenApiResponse {
    const { dto, isList } = readShape(declared.shape);
    const ref = this.registry.ref(dto, 'output');
    return {
      description: declared.description ?? STATUS_CODES[status] ?? 'Response',
      content: { 'application/json': { schema: isList ? { type: 'array', items: ref } : ref } },
    };
  }

  private security(route: DocumentedRoute): OpenApiOperation['security'] {
    const guards = route.guards ?? [];
    if (!guards.some((guard) => guard === 'LoginRequired' || guard.startsWith('Roles(')))
      return undefined;
    this.hasSecurity = true;
    return [{ [SESSION_SCHEME]: [] }];
  }
}

/** A multipart body's schema: its file fields as binary strings, beside the DTO's fields. */
function uploadSchema(route: DocumentedRoute, dto: JsonSchema | undefined): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const upload of route.uploads) {
    const [only] = upload.mimeTypes ?? [];
    properties[upload.field] = {
      type: 'string',
      contentMediaType:
        upload.mimeTypes?.length === 1 && only !== undefined ? only : 'application/octet-stream',
      ...(upload.mimeTypes && upload.mimeTypes.length > 1
        ? { description: `One of ${upload.mimeTypes.join(', ')}` }
        : {}),
    };
  }
  const required = route.uploads
    .filter((upload) => !upload.isOptional)
    .map((upload) => upload.field);
  const files: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
  return dto ? { allOf: [dto, files] } : files;
}

/** A query string has no null: an optional DTO property is simply absent. */
function withoutNull(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    return { ...schema, type: types.length === 1 ? types[0] : types };
  }
  const branches = schema.anyOf?.filter((branch) => branch.type !== 'null');
  return branches?.length === 1 && branches[0] ? branches[0] : schema;
}

function countEndpoints(routes: readonly DocumentedRoute[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const route of routes) counts.set(route.endpoint, (counts.get(route.endpoint) ?? 0) + 1);
  return counts;
}

/**
 * Builds the OpenAPI 3.1 document of a list of routes: paths from their rules (converters as
 * typed path parameters), one operation per method with the endpoint as its id and the module as
 * its tag, Query/Param DTOs as parameters, Body DTOs as `$ref`ed request bodies for the media
 * types the route accepts, responses (success, `validation_failed`, 401/403 for guards, 413/415 for
 * bodies), the session cookie as the security of guarded routes and the CSRF header where it
 * applies. Pure: the same routes give the same document.
 *
 * @example
 * const document = buildOpenApiDocument(routes.map(describeRoute), { title: 'Blog', version: '1.0.0' });
 */
export function buildOpenApiDocument(
  routes: readonly DocumentedRoute[],
  options: OpenApiDocumentOptions,
): OpenApiDocument {
  const documented = routes.filter(
    (route) => route.doc.hidden !== true && METHODS[route.method] !== undefined,
  );
  const builder = new DocumentBuilder(options, countEndpoints(documented));
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const route of documented) {
    const method = METHODS[route.method] as OpenApiMethod;
    const operation = builder.operation(route, method);
    for (const tag of operation.tags ?? []) tags.add(tag);
    (paths[toPathTemplate(route.rule).path] ??= {})[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    ...(options.servers ? { servers: options.servers.map((server) => ({ ...server })) } : {}),
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: components(builder),
  };
}

function components(builder: DocumentBuilder): OpenApiDocument['components'] {
  const schemas = { ...builder.registry.schemas };
  const responses: Record<string, OpenApiResponse> = {};
  for (const name of builder.shared) {
    responses[name] = SHARED_RESPONSES[name];
    if (name === 'ValidationFailed') schemas['ValidationFailed'] = VALIDATION_FAILED_SCHEMA;
    schemas['Error'] = ERROR_SCHEMA;
  }
  return {
    schemas,
    ...(builder.shared.size > 0 ? { responses } : {}),
    ...(builder.hasSecurity
      ? {
          securitySchemes: {
            [SESSION_SCHEME]: {
              type: 'apiKey',
              in: 'cookie',
              name: builder.options.sessionCookieName ?? 'session',
              description: 'The session cookie set by logging in',
            },
          },
        }
      : {}),
  };
}
