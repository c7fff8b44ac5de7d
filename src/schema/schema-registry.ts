import { isDeepStrictEqual } from 'node:util';
import type { Constructor } from '../di/tokens';
import { transformerStorage, validatorStorage } from '../validation/libraries';
import { declaredProperties, type SchemaDirection } from './dto-properties';
import type { JsonSchema } from './json-schema';
import { isOptional, propertySchema, type PropertyFacts } from './property-schema';

export interface SchemaRegistryOptions {
  /** What `$ref`s start with: `#/components/schemas/` in an OpenAPI document (the default), `#/$defs/` in a standalone schema. */
  readonly refPrefix?: string;
  /** Input schemas get `additionalProperties: false` (VALIDATION.forbidNonWhitelisted). */
  readonly forbidUnknown?: boolean;
  /** Names a DTO's schema must not take (the document's own schemas). */
  readonly reserved?: readonly string[];
}

/** `null` too: `@IsOptional()` lets null through as well as a missing key. */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string' && schema.$ref === undefined && schema.enum === undefined)
    return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * The named schemas of DTO classes, each class once (per direction, when `@Expose`/`@Exclude`
 * make its two directions differ), referenced with `$ref` so nested and cyclic DTOs work.
 *
 * @example
 * const registry = new SchemaRegistry();
 * const body = registry.ref(CreatePostDto, 'input'); // { $ref: '#/components/schemas/CreatePostDto' }
 * const components = { schemas: registry.schemas };
 */
export class SchemaRegistry {
  /** Every schema named so far, by name: an OpenAPI document's `components.schemas`. */
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly names = new Map<Constructor, Partial<Record<SchemaDirection, string>>>();
  private readonly refPrefix: string;

  constructor(private readonly options: SchemaRegistryOptions = {}) {
    this.refPrefix = options.refPrefix ?? '#/components/schemas/';
  }

  /** A `$ref` to the DTO's schema, building it (and the DTOs it nests) on first use. */
  ref(dto: Constructor, direction: SchemaDirection = 'input'): JsonSchema {
    return { $ref: this.refPrefix + this.nameOf(dto, direction) };
  }

  /** The schema of a DTO itself (not a `$ref`); DTOs it nests are `$ref`s into `schemas`. */
  schemaOf(dto: Constructor, direction: SchemaDirection = 'input'): JsonSchema {
    const name = this.nameOf(dto, direction);
    return this.schemas[name] as JsonSchema;
  }

  private nameOf(dto: Constructor, direction: SchemaDirection): string {
    const known = this.names.get(dto) ?? {};
    this.names.set(dto, known);
    const own = known[direction];
    if (own !== undefined) return own;
    const other = known[direction === 'input' ? 'output' : 'input'];
    // Named before its properties are built, so a DTO that nests itself refers to this name.
    const name =
      other === undefined
        ? this.freeName(dto.name)
        : this.freeName(`${dto.name}${direction === 'input' ? 'Input' : 'Output'}`);
    known[direction] = name;
    this.schemas[name] = {};
    const schema = this.build(dto, direction);
    if (other !== undefined && isDeepStrictEqual(schema, this.schemas[other])) {
      // The same JSON both ways (the usual case): one name.
      Reflect.deleteProperty(this.schemas, name);
      known[direction] = other;
      return other;
    }
    this.schemas[name] = schema;
    return name;
  }

  private freeName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    let name = clean;
    const reserved = this.options.reserved ?? [];
    for (let n = 2; name in this.schemas || reserved.includes(name); n++) name = `${clean}${n}`;
    return name;
  }

  private build(dto: Constructor, direction: SchemaDirection): JsonSchema {
    const rules = validatorStorage().getTargetValidationMetadatas(dto, '', true, false);
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const { property, key } of declaredProperties(dto, direction)) {
      const own = rules.filter((rule) => rule.propertyName === property);
      const facts: PropertyFacts = {
        rules: own,
        declared: Reflect.getMetadata('design:type', dto.prototype as object, property) as unknown,
        typeHint: transformerStorage().findTypeMetadata(dto, property)?.typeFunction(),
      };
      const schema = propertySchema(facts, (nested) => this.ref(nested, direction));
      if (isOptional(own)) properties[key] = nullable(schema);
      else {
        properties[key] = schema;
        required.push(key);
      }
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(direction === 'input' && this.options.forbidUnknown === true
        ? { additionalProperties: false }
        : {}),
    };
  }
}

/**
 * One DTO's schema on its own: `$defs` holds the DTOs it nests (for a JSON Schema validator or a
 * serializer compiler).
 *
 * @example
 * const schema = dtoJsonSchema(CreateUserDto); // { $ref: '#/$defs/CreateUserDto', $defs: { … } }
 */
export function dtoJsonSchema(dto: Constructor, direction: SchemaDirection = 'input'): JsonSchema {
  const registry = new SchemaRegistry({ refPrefix: '#/$defs/' });
  const ref = registry.ref(dto, direction);
  return { ...ref, $defs: registry.schemas };
}
