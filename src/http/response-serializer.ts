import type FastJsonStringify from 'fast-json-stringify';
import type { Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { declaredProperties } from '../schema/dto-properties';
import type { JsonSchema } from '../schema/json-schema';
import { dtoJsonSchema } from '../schema/schema-registry';
import { lazyRequire } from '../util/lazy-require';
import { transformerStorage } from '../validation/libraries';

/** What `@Returns` declares: a DTO class, or `[Dto]` for an array of them. */
export type ResponseShape = Constructor | readonly [Constructor];

const loadStringify = lazyRequire<typeof FastJsonStringify>(
  'fast-json-stringify',
  'Response serializers (@Returns)',
);

/** The DTO class of a shape and whether it is a list of them. */
export function readShape(shape: ResponseShape): { dto: Constructor; isList: boolean } {
  // Array.isArray widens a readonly tuple to any[]: test the one thing a tuple has.
  return typeof shape === 'function'
    ? { dto: shape, isList: false }
    : { dto: shape[0], isList: true };
}

/**
 * The schema a serializer is compiled from: the document's schema with every value nullable and
 * nothing required. fast-json-stringify writes `null` as `""`, `0` or `{}` for a non-nullable
 * type and throws on a missing required key; a response is the server's own data, so it is
 * written as it is (null stays null, a missing key stays missing), only undeclared keys go.
 */
function lenient(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema) as [keyof JsonSchema, unknown][]) {
    if (keyword === 'required') continue;
    if (keyword === 'properties' || keyword === '$defs')
      out[keyword] = mapValues(value as Record<string, JsonSchema>, lenient);
    else if (keyword === 'items') out.items = lenient(value as JsonSchema);
    else if (keyword === 'anyOf') return lenientAnyOf(value as JsonSchema[]);
    else (out as Record<string, unknown>)[keyword] = value;
  }
  // fast-json-stringify's `nullable` (OpenAPI 3.0's keyword) keeps one type, so a `$ref` still
  // compiles to one function per DTO (a type list inlines it, without end for a cyclic DTO).
  if (typeof out.type === 'string' && out.type !== 'null')
    (out as Record<string, unknown>)['nullable'] = true;
  return out;
}

/** `anyOf: [X, null]` (an optional nested DTO) is X, which is nullable already. */
function lenientAnyOf(branches: readonly JsonSchema[]): JsonSchema {
  const nonNull = branches.filter((branch) => branch.type !== 'null');
  const [only] = nonNull;
  return nonNull.length === 1 && only !== undefined
    ? lenient(only)
    : { anyOf: nonNull.map(lenient) };
}

function mapValues(
  record: Record<string, JsonSchema>,
  map: (schema: JsonSchema) => JsonSchema,
): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

type Renamer = (value: unknown) => unknown;

/** The DTO class a property's `@Type` names, if any. */
function nestedClass(dto: Constructor, property: string): Constructor | undefined {
  const nested: unknown = transformerStorage().findTypeMetadata(dto, property)?.typeFunction();
  return typeof nested === 'function' && nested.prototype !== undefined && nested !== Date
    ? (nested as Constructor)
    : undefined;
}

/** True when a DTO or one it nests gives a property another JSON key (`@Expose({ name })`). */
function hasRenames(dto: Constructor, seen = new Set<Constructor>()): boolean {
  if (seen.has(dto)) return false;
  seen.add(dto);
  return declaredProperties(dto, 'output').some(({ property, key }) => {
    const nested = nestedClass(dto, property);
    return key !== property || (nested !== undefined && hasRenames(nested, seen));
  });
}

/**
 * `@Expose({ name })` gives a property another JSON key: class-transformer reads `displayName` and
 * writes `display_name`. fast-json-stringify only copies keys, so a DTO graph with renamed
 * properties gets a copy under the JSON keys first (only such graphs: the copy costs).
 */
function buildRenamer(dto: Constructor, built = new Map<Constructor, Renamer>()): Renamer {
  const existing = built.get(dto);
  if (existing) return existing;
  let steps: { property: string; key: string; inner: Renamer | undefined }[] = [];
  const rename: Renamer = (value) => {
    if (Array.isArray(value)) return value.map(rename);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const { property, key, inner } of steps) {
      const field = (value as Record<string, unknown>)[property];
      out[key] = inner === undefined ? field : inner(field);
    }
    return out;
  };
  // Registered before its properties, so a DTO that nests itself reuses it.
  built.set(dto, rename);
  steps = declaredProperties(dto, 'output').map(({ property, key }) => {
    const nested = nestedClass(dto, property);
    return { property, key, inner: nested === undefined ? undefined : buildRenamer(nested, built) };
  });
  return rename;
}

/**
 * Compiles, once at startup, the JSON writer of a response DTO (`Dto`, or `[Dto]` for arrays): it
 * writes only the properties the DTO declares (class-validator rules or `@Expose()`, less
 * `@Exclude()`d ones), nested `@Type` DTOs and arrays shaped the same way, so a column such as
 * `password_hash` on a returned row never reaches the client. Built on fast-json-stringify.
 *
 * @example
 * const write = compileResponseSerializer([UserView]);
 * write([{ id: 1, name: 'Ada', password_hash: '…' }]); // '[{"id":1,"name":"Ada"}]'
 */
export function compileResponseSerializer(shape: ResponseShape): (value: unknown) => string {
  const { dto, isList } = readShape(shape);
  if (declaredProperties(dto, 'output').length === 0) {
    throw new FlagonError(
      'FLAGON_RESPONSE_EMPTY_DTO',
      `@Returns(${dto.name}): ${dto.name} declares no properties, so every response would be {}; decorate the properties to send (@Expose(), or class-validator rules such as @IsString())`,
    );
  }
  const { $defs, ...ref } = dtoJsonSchema(dto, 'output');
  const root: JsonSchema = isList ? { type: 'array', items: ref } : ref;
  const stringify = loadStringify()(
    lenient({ ...root, $defs }) as Parameters<typeof FastJsonStringify>[0],
  );
  if (!hasRenames(dto)) return stringify;
  const rename = buildRenamer(dto);
  return (value) => stringify(rename(value));
}
