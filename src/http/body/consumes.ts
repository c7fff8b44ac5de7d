import type { Constructor } from '../../di/tokens';
import { FlagonError } from '../../errors/flagon-error';

/** The body kinds Flagon parses: JSON, url-encoded forms, multipart forms, plain text. */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text';

/** Each kind's media type, as a client sends it and the OpenAPI document lists it. */
export const BODY_MEDIA_TYPES: Readonly<Record<BodyKind, string>> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
  text: 'text/plain',
};

const ALL_KINDS: readonly BodyKind[] = ['json', 'form', 'multipart', 'text'];
/** A DTO body is validated from JSON or form fields (url-encoded or multipart), never from text. */
const DTO_KINDS: readonly BodyKind[] = ['json', 'form', 'multipart'];

const CONSUMES = Symbol('flagon:consumes');

/**
 * Limits the body kinds a route (or every route of a controller) accepts; any other Content-Type
 * is a 415 `unsupported_type` naming the accepted ones. The OpenAPI document lists the same.
 * A method's `@Consumes` replaces its controller's.
 *
 * @example
 * @Consumes('json') @Route('/api/posts') class PostApi {}
 * @Post('/import') @Consumes('multipart') import(@UploadedFile('file') file: UploadedFile) {}
 */
export function Consumes(...kinds: [BodyKind, ...BodyKind[]]): ClassDecorator & MethodDecorator {
  for (const kind of kinds) {
    if (!ALL_KINDS.includes(kind))
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_HANDLER',
        `@Consumes('${kind as string}'): expected ${ALL_KINDS.map((name) => `'${name}'`).join(', ')}`,
      );
  }
  const declared = Object.freeze([...new Set(kinds)]);
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(CONSUMES, declared, target);
    else Reflect.defineMetadata(CONSUMES, declared, target, propertyKey);
  };
}

/** The kinds `@Consumes` allows for a handler (its own, else its controller's), or `undefined` when it sets none. */
export function getConsumes(
  controller: Constructor,
  methodName: string,
): readonly BodyKind[] | undefined {
  return (
    (Reflect.getMetadata(CONSUMES, controller.prototype as object, methodName) as
      readonly BodyKind[] | undefined) ??
    (Reflect.getMetadata(CONSUMES, controller) as readonly BodyKind[] | undefined)
  );
}

/**
 * The media types a route's body really accepts: its `@Consumes` kinds (all four without one),
 * less text/plain when the body is a DTO. For the OpenAPI document's `requestBody.content`.
 *
 * @example
 * acceptedMediaTypes(PostApi, 'create', true); // ['application/json']
 */
export function acceptedMediaTypes(
  controller: Constructor,
  methodName: string,
  isDtoBody: boolean,
): string[] {
  const declared = getConsumes(controller, methodName) ?? ALL_KINDS;
  return declared
    .filter((kind) => !isDtoBody || DTO_KINDS.includes(kind))
    .map((kind) => BODY_MEDIA_TYPES[kind]);
}
