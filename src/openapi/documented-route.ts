import type { Constructor } from '../di/tokens';
import { declaredUploads, readsBody } from '../http/body/body-plan';
import { acceptedMediaTypes, BODY_MEDIA_TYPES, getConsumes } from '../http/body/consumes';
import { getParameterMetadata, type ParameterMetadata } from '../http/params';
import {
  getDeclaredReturns,
  getDeclaredStatus,
  type DeclaredReturn,
} from '../http/response-decorators';
import type { HttpMethod } from '../routing/decorators';
import { getDoc, type DocOptions } from './doc-decorator';

/**
 * What the app knows of one route at startup, the input of `describeRoute`. In an app these come
 * from the route table (`RouteInfo`), its guards and the CSRF settings.
 */
export interface RouteFacts {
  readonly method: HttpMethod;
  /** The rule text with converters, e.g. `/posts/<int:id>`. */
  readonly rule: string;
  /** `blog.PostController.show`: the operationId. */
  readonly endpoint: string;
  /** The owning module's name: the operation's tag. */
  readonly module: string;
  readonly controller: Constructor;
  readonly methodName: string;
  /** The route's guards by name, as `app.routes({ withGuards: true })` lists them (`LoginRequired`, `Roles(admin)`). */
  readonly guards?: readonly string[];
  /** True when the CSRF check runs for this route (enabled, unsafe method, not `@CsrfExempt`). */
  readonly isCsrfProtected?: boolean;
}

/** A named query or path value a handler reads on its own (`@Query('q')`, `@Param('id')`). */
export interface NamedInput {
  readonly name: string;
  /** Its declared type: `Array` for repeated query values. */
  readonly type: unknown;
}

/** A file field of a multipart body (`@UploadedFile`). */
export interface UploadField {
  readonly field: string;
  readonly mimeTypes?: readonly string[];
  readonly isOptional: boolean;
}

/** Everything the document builder needs of one route: the facts plus what its decorators declare. */
export interface DocumentedRoute extends RouteFacts {
  /** The status of a successful answer: `@Status`, else 204 for a handler returning nothing, else 200. */
  readonly successStatus: number;
  /** The `@Body()`/`@ValidatedBody()` DTO, if any. */
  readonly bodyDto?: Constructor;
  /** The media types of the body, when the handler reads one (an empty list: it reads none). */
  readonly bodyMediaTypes: readonly string[];
  /** File fields of a multipart body. */
  readonly uploads: readonly UploadField[];
  readonly queryDto?: Constructor;
  readonly paramDto?: Constructor;
  readonly namedQuery: readonly NamedInput[];
  readonly returns: readonly DeclaredReturn[];
  /** What the handler's declared return type says: `String` (HTML), `undefined` (nothing), else `undefined`. */
  readonly returnType?: unknown;
  readonly doc: DocOptions;
}

function paramTypes(controller: Constructor, methodName: string): readonly unknown[] {
  return (
    (Reflect.getMetadata('design:paramtypes', controller.prototype as object, methodName) as
      unknown[] | undefined) ?? []
  );
}

function dtoOf(
  parameters: readonly ParameterMetadata[],
  source: ParameterMetadata['source'],
): Constructor | undefined {
  return parameters.find((param) => param.source === source && param.dto !== undefined)?.dto;
}

/**
 * Reads a route's decorators once (parameters, `@Status`, `@Returns`, `@Consumes`, `@Doc`, the
 * declared return type) into what the document builder takes.
 *
 * @example
 * const route = describeRoute({ method: 'GET', rule: '/posts/<int:id>', endpoint: 'blog.PostController.show', module: 'blog', controller: PostController, methodName: 'show' });
 */
export function describeRoute(facts: RouteFacts): DocumentedRoute {
  const { controller, methodName } = facts;
  const prototype = controller.prototype as object;
  const parameters = getParameterMetadata(controller, methodName);
  const types = paramTypes(controller, methodName);
  const bodyDto = dtoOf(parameters, 'body');
  const uploads = [...declaredUploads(controller, methodName)].map(([field, rule]) => ({
    field,
    ...(rule.mimeTypes === undefined ? {} : { mimeTypes: rule.mimeTypes }),
    isOptional: rule.optional === true,
  }));
  const returnType: unknown = Reflect.getMetadata('design:returntype', prototype, methodName);
  const declaredStatus = getDeclaredStatus(prototype, methodName) ?? 200;
  const returnsNothing =
    returnType === undefined && Reflect.hasMetadata('design:returntype', prototype, methodName);
  return {
    ...facts,
    successStatus: declaredStatus === 200 && returnsNothing ? 204 : declaredStatus,
    ...(bodyDto === undefined ? {} : { bodyDto }),
    bodyMediaTypes: bodyMediaTypes(controller, methodName, bodyDto, uploads.length > 0),
    uploads,
    ...optional('queryDto', dtoOf(parameters, 'query')),
    ...optional('paramDto', dtoOf(parameters, 'param')),
    namedQuery: parameters
      .filter((param) => param.source === 'query' && param.name !== undefined)
      .map((param) => ({ name: param.name as string, type: types[param.index] })),
    returns: getDeclaredReturns(prototype, methodName),
    returnType,
    doc: getDoc(controller, methodName),
  };
}

/** Files only come in multipart bodies: an upload route takes that (unless `@Consumes` says more). */
function bodyMediaTypes(
  controller: Constructor,
  methodName: string,
  bodyDto: Constructor | undefined,
  hasUploads: boolean,
): string[] {
  if (!readsBody(controller, methodName)) return [];
  if (hasUploads && getConsumes(controller, methodName) === undefined)
    return [BODY_MEDIA_TYPES.multipart];
  return acceptedMediaTypes(controller, methodName, bodyDto !== undefined);
}

function optional<TKey extends string, TValue>(
  key: TKey,
  value: TValue | undefined,
): Partial<Record<TKey, TValue>> {
  return value === undefined ? {} : ({ [key]: value } as Record<TKey, TValue>);
}
