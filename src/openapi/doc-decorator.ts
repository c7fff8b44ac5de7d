import type { Constructor } from '../di/tokens';

/** What `@Doc` adds to an operation of the OpenAPI document; every key is optional. */
export interface DocOptions {
  /** A one-line summary (shown next to the path in the docs page). */
  readonly summary?: string;
  /** A longer description; Markdown. */
  readonly description?: string;
  /** Tags besides the module's. */
  readonly tags?: readonly string[];
  readonly deprecated?: boolean;
  /** Replaces the endpoint name as the operation's id (clients name their methods after it). */
  readonly operationId?: string;
  /** Leaves the route (or a controller's routes) out of the document. */
  readonly hidden?: boolean;
}

const DOC = Symbol('flagon:doc');

/**
 * Documents a route (on a method) or every route of a controller (on the class) in the OpenAPI
 * document. Nothing needs it: paths, parameters, bodies and responses come from the rules, DTOs
 * and decorators a route already has. On a controller, its tags, `deprecated` and `hidden` apply
 * to every route; a method's keys win.
 *
 * @example
 * @Get('/<int:id>') @Doc({ summary: 'One post', tags: ['posts'] }) show(@Param('id') id: number) {}
 * @Doc({ hidden: true }) @Route('/internal') class InternalController {}
 */
export function Doc(options: DocOptions): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(DOC, options, target);
    else Reflect.defineMetadata(DOC, options, target, propertyKey);
  };
}

/**
 * A route's `@Doc`: its method's keys over its controller's. A controller's summary, description
 * and operationId would repeat on every route, so only its tags, `deprecated` and `hidden` count;
 * tags add up.
 */
export function getDoc(controller: Constructor, methodName: string): DocOptions {
  const fromClass = (Reflect.getMetadata(DOC, controller) as DocOptions | undefined) ?? {};
  const fromMethod =
    (Reflect.getMetadata(DOC, controller.prototype as object, methodName) as
      DocOptions | undefined) ?? {};
  const tags = [...(fromClass.tags ?? []), ...(fromMethod.tags ?? [])];
  const deprecated = fromMethod.deprecated ?? fromClass.deprecated;
  const hidden = fromMethod.hidden ?? fromClass.hidden;
  return {
    ...fromMethod,
    ...(tags.length > 0 ? { tags: [...new Set(tags)] } : {}),
    ...(deprecated === undefined ? {} : { deprecated }),
    ...(hidden === undefined ? {} : { hidden }),
  };
}
