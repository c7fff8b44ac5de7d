import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { Constructor } from '../di/tokens';
import type { JsonSchema, JsonSchemaType } from './json-schema';

/** What is known of one DTO property at startup. */
export interface PropertyFacts {
  /** Its class-validator rules (`each` ones apply to array items). */
  readonly rules: readonly ValidationMetadata[];
  /** Its `design:type` (String, Number, Array, a class…). */
  readonly declared: unknown;
  /** What `@Type(() => X)` names, if anything. */
  readonly typeHint: unknown;
}

const CONDITIONAL = 'conditionalValidation';
const NESTED = 'nestedValidation';

/** The JSON type each class-validator type check stands for. */
const TYPE_RULES: Readonly<Record<string, JsonSchemaType>> = {
  isString: 'string',
  isNumber: 'number',
  isInt: 'integer',
  isBoolean: 'boolean',
  isArray: 'array',
  isObject: 'object',
  isDate: 'string',
  isDateString: 'string',
  isISO8601: 'string',
  isEmail: 'string',
  isUrl: 'string',
  isUuid: 'string',
  matches: 'string',
};

const FORMATS: Readonly<Record<string, string>> = {
  isEmail: 'email',
  isUrl: 'uri',
  isUuid: 'uuid',
  isDateString: 'date-time',
  isISO8601: 'date-time',
  isDate: 'date-time',
};

/** Types from `design:type`; a Date travels as an ISO 8601 string. */
const DECLARED_TYPES = new Map<unknown, JsonSchema>([
  [String, { type: 'string' }],
  [Number, { type: 'number' }],
  [Boolean, { type: 'boolean' }],
  [Date, { type: 'string', format: 'date-time' }],
  [Array, { type: 'array' }],
]);

function numberConstraint(rule: ValidationMetadata): number | undefined {
  const [first] = (rule.constraints as unknown[] | undefined) ?? [];
  return typeof first === 'number' ? first : undefined;
}

/** `@Matches(/re/)` or `@Matches('re', 'flags')`: only flagless patterns mean the same in JSON Schema. */
function patternOf(rule: ValidationMetadata): string | undefined {
  const [pattern, modifiers] = rule.constraints as unknown[];
  if (pattern instanceof RegExp)
    return pattern.flags.replace(/[gyd]/g, '') === '' ? pattern.source : undefined;
  if (
    typeof pattern === 'string' &&
    (modifiers === undefined || modifiers === null || modifiers === '')
  )
    return pattern;
  return undefined;
}

function enumOf(rule: ValidationMetadata): unknown[] | undefined {
  const constraints = rule.constraints as unknown[];
  // class-validator keeps @IsEnum's valid values second (a numeric enum's reverse keys left out).
  const values = rule.name === 'isEnum' ? constraints[1] : constraints[0];
  return Array.isArray(values) ? [...(values as unknown[])] : undefined;
}

function typeOfValues(values: readonly unknown[]): JsonSchemaType | undefined {
  if (values.length === 0) return undefined;
  if (values.every((value) => typeof value === 'string')) return 'string';
  if (values.every((value) => Number.isInteger(value))) return 'integer';
  if (values.every((value) => typeof value === 'number')) return 'number';
  return undefined;
}

/** Writes one rule's keywords into `into`; rules no JSON Schema keyword expresses are left out. */
function applyRule(rule: ValidationMetadata, into: JsonSchema): void {
  const name = rule.name;
  if (name === undefined) return;
  const format = FORMATS[name];
  if (format !== undefined) into.format = format;
  const value = numberConstraint(rule);
  switch (name) {
    case 'isLength': {
      const [min, max] = rule.constraints as unknown[];
      if (typeof min === 'number' && min > 0) into.minLength = min;
      if (typeof max === 'number') into.maxLength = max;
      break;
    }
    case 'minLength':
      if (value !== undefined) into.minLength = value;
      break;
    case 'maxLength':
      if (value !== undefined) into.maxLength = value;
      break;
    case 'isNotEmpty':
      if (into.type === 'string') into.minLength = Math.max(into.minLength ?? 0, 1);
      break;
    case 'min':
      if (value !== undefined) into.minimum = value;
      break;
    case 'max':
      if (value !== undefined) into.maximum = value;
      break;
    case 'isPositive':
      into.exclusiveMinimum = 0;
      break;
    case 'isNegative':
      into.exclusiveMaximum = 0;
      break;
    case 'arrayMinSize':
      if (value !== undefined) into.minItems = value;
      break;
    case 'arrayMaxSize':
      if (value !== undefined) into.maxItems = value;
      break;
    case 'arrayUnique':
      into.uniqueItems = true;
      break;
    case 'matches': {
      const pattern = patternOf(rule);
      if (pattern !== undefined) into.pattern = pattern;
      break;
    }
    case 'isEnum':
    case 'isIn': {
      const values = enumOf(rule);
      if (values === undefined) break;
      into.enum = values;
      // The values say more than `design:type` (a numeric enum's members are integers).
      into.type = typeOfValues(values) ?? into.type;
      break;
    }
    case 'equals':
      into.const = (rule.constraints as unknown[])[0];
      break;
    default:
  }
}

/** The JSON type a rule list declares (a type check wins over what `design:type` says). */
function declaredType(rules: readonly ValidationMetadata[]): JsonSchemaType | undefined {
  let found: JsonSchemaType | undefined;
  for (const rule of rules) {
    const type = rule.name === undefined ? undefined : TYPE_RULES[rule.name];
    // isInt and isNumber on one property: the narrower wins.
    if (type !== undefined && !(found === 'integer' && type === 'number')) found = type;
  }
  return found;
}

function ruleSchema(
  rules: readonly ValidationMetadata[],
  fallback: JsonSchema | undefined,
): JsonSchema {
  const type = declaredType(rules);
  const schema: JsonSchema = type !== undefined ? { type } : { ...fallback };
  if (type === 'string' && fallback?.format !== undefined) schema.format = fallback.format;
  for (const rule of rules) applyRule(rule, schema);
  return schema;
}

function isClass(value: unknown): value is Constructor {
  return typeof value === 'function' && !DECLARED_TYPES.has(value) && value !== Object;
}

/** True when `@IsOptional()` (or `@ValidateIf`) lets the property be absent. */
export function isOptional(rules: readonly ValidationMetadata[]): boolean {
  return rules.some((rule) => rule.type === CONDITIONAL);
}

/**
 * The schema of one property from its rules and types: a type (from a type check, else
 * `design:type`), formats, bounds, patterns and enums; arrays get `items` from `each` rules or
 * `@Type`; classes (`@ValidateNested` + `@Type`, or a class-typed property) become `ref(class)`.
 *
 * @example
 * propertySchema({ rules, declared: String, typeHint: undefined }, ref); // { type: 'string', maxLength: 50 }
 */
export function propertySchema(
  facts: PropertyFacts,
  ref: (dto: Constructor) => JsonSchema,
): JsonSchema {
  const own = facts.rules.filter((rule) => !rule.each && rule.type !== NESTED);
  const each = facts.rules.filter((rule) => rule.each && rule.type !== NESTED);
  const isArray = facts.declared === Array || declaredType(own) === 'array';
  const nestedClass = isClass(facts.typeHint)
    ? facts.typeHint
    : !isArray && isClass(facts.declared)
      ? facts.declared
      : undefined;
  const hintType = DECLARED_TYPES.get(facts.typeHint);
  if (!isArray) {
    if (nestedClass !== undefined && declaredType(own) === undefined) return ref(nestedClass);
    return ruleSchema(own, hintType ?? DECLARED_TYPES.get(facts.declared));
  }
  const schema = ruleSchema(own, { type: 'array' });
  schema.type = 'array';
  const items = nestedClass !== undefined ? ref(nestedClass) : ruleSchema(each, hintType);
  if (Object.keys(items).length > 0) schema.items = items;
  return schema;
}
