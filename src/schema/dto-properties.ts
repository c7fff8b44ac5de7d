import type { Constructor } from '../di/tokens';
import { transformerStorage, validatorStorage } from '../validation/libraries';

/**
 * Which way a DTO is read: `input` is a request body, query or path turned into an instance
 * (class-transformer's plainToInstance), `output` an instance or row written as a response
 * (instanceToPlain). `@Expose`/`@Exclude` with `toClassOnly`/`toPlainOnly` apply to one of them.
 */
export type SchemaDirection = 'input' | 'output';

/** One property a DTO declares: the class's property name and the key it has in JSON. */
export interface DeclaredProperty {
  readonly property: string;
  readonly key: string;
}

interface DirectionOptions {
  readonly toClassOnly?: boolean;
  readonly toPlainOnly?: boolean;
}

function appliesTo(options: DirectionOptions, direction: SchemaDirection): boolean {
  if (options.toClassOnly === true) return direction === 'input';
  if (options.toPlainOnly === true) return direction === 'output';
  return true;
}

/**
 * The properties a DTO declares, in declaration order: every property with a class-validator rule
 * or `@Expose()`, less those `@Exclude()`d for this direction; under a class-level `@Exclude()`
 * only `@Expose()`d ones. `@Expose({ name })` renames the JSON key. TypeScript keeps no list of
 * undecorated properties, so an undecorated property is not part of the DTO (nor of its JSON).
 *
 * @example
 * declaredProperties(UserView, 'output'); // [{ property: 'id', key: 'id' }, …]
 */
export function declaredProperties(
  dto: Constructor,
  direction: SchemaDirection,
): DeclaredProperty[] {
  const transformer = transformerStorage();
  const exposed = new Map<string, { name?: string } & DirectionOptions>();
  for (const meta of transformer.getExposedMetadatas(dto)) {
    // A class-level @Expose() (no property) is a strategy, read below.
    if (meta.propertyName !== undefined && appliesTo(meta.options, direction))
      exposed.set(meta.propertyName, meta.options);
  }
  const excluded = new Set<string>();
  let isExcludeAll = transformer.getStrategy(dto) === 'excludeAll';
  for (const meta of transformer.getExcludedMetadatas(dto)) {
    if (!appliesTo(meta.options, direction)) continue;
    if (meta.propertyName === undefined) isExcludeAll = true;
    else excluded.add(meta.propertyName);
  }
  const names = new Set<string>();
  for (const meta of validatorStorage().getTargetValidationMetadatas(dto, '', true, false))
    names.add(meta.propertyName);
  for (const name of exposed.keys()) names.add(name);

  const properties: DeclaredProperty[] = [];
  for (const property of names) {
    const expose = exposed.get(property);
    if (excluded.has(property) || (isExcludeAll && expose === undefined)) continue;
    properties.push({ property, key: expose?.name ?? property });
  }
  return properties;
}
