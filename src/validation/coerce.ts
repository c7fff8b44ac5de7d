import type { Constructor } from '../di/tokens';
import { transformerStorage, validatorStorage } from './libraries';
import type { FieldErrors } from './validation-error';

/** Turns one string into the declared type, or returns NOT_CONVERTIBLE. */
type StringConverter = (text: string) => unknown;

const NOT_CONVERTIBLE = Symbol('not convertible');

const TRUE_WORDS = new Set(['true', '1', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'off', 'no']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const CONVERTERS = new Map<unknown, { convert: StringConverter; expected: string }>([
  [
    Number,
    {
      convert: (text) => (NUMBER.test(text.trim()) ? Number(text) : NOT_CONVERTIBLE),
      expected: 'a number',
    },
  ],
  [
    Boolean,
    {
      convert: (text) =>
        TRUE_WORDS.has(text.toLowerCase())
          ? true
          : FALSE_WORDS.has(text.toLowerCase())
            ? false
            : NOT_CONVERTIBLE,
      expected: 'true or false',
    },
  ],
  [
    Date,
    {
      convert: (text) => (Number.isNaN(Date.parse(text)) ? NOT_CONVERTIBLE : new Date(text)),
      expected: 'a date',
    },
  ],
]);

interface PropertyPlan {
  readonly name: string;
  readonly isArray: boolean;
  readonly converter: { convert: StringConverter; expected: string } | undefined;
}

/** Declared types that hold one value: a repeated form or query key gives them its first value. */
const SCALAR_TYPES = new Set<unknown>([String, Number, Boolean, Date]);

/**
 * Builds, once per DTO class, the converter for string-only sources (query strings, forms, path
 * variables): a property declared `number`, `boolean` or `Date` (its `design:type`, or `@Type` for
 * array items) gets its strings converted; every other property keeps its strings. A property
 * declared as one value (`string`, `number`, `boolean`, `Date`) never receives an array: a
 * repeated key gives it the first value, as Werkzeug's `MultiDict` does for `request.form[key]`,
 * so `username=a&username=b` cannot reach a handler (or a password hasher) as an array.
 *
 * Why not class-transformer's `enableImplicitConversion`: it calls `Number("abc")` (NaN, which
 * `@IsNumber` then reports confusingly or `@IsOptional` lets through) and `Boolean("false")`
 * (true). Here a string that does not convert is a field error, and `""` counts as absent.
 */
export function buildCoercer(
  dto: Constructor,
): (plain: Record<string, unknown>, errors: FieldErrors) => Record<string, unknown> {
  const names = new Set(
    validatorStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((meta) => meta.propertyName),
  );
  const plans: PropertyPlan[] = [];
  for (const name of names) {
    const declared: unknown = Reflect.getMetadata('design:type', dto.prototype as object, name);
    const typeMeta = transformerStorage().findTypeMetadata(dto, name);
    const itemType: unknown = typeMeta ? typeMeta.typeFunction() : declared;
    const isArray = declared === Array;
    // `page: number | null` is declared as Object; `@Type(() => Number)` then says what to convert to.
    const converter = CONVERTERS.get(
      isArray ? itemType : CONVERTERS.has(declared) ? declared : itemType,
    );
    if (converter || isArray || SCALAR_TYPES.has(declared))
      plans.push({ name, isArray, converter });
  }
  if (plans.length === 0) return (plain) => plain;
  return (plain, errors) => {
    // Copied only when a value changes: most form fields are single strings already.
    let out: Record<string, unknown> | undefined;
    for (const { name, isArray, converter } of plans) {
      const value = plain[name];
      if (value === undefined) continue;
      let next: unknown;
      if (isArray) {
        const items = Array.isArray(value) ? value : [value];
        next = converter
          ? items.map((item, index) => convertOne(item, converter, `${name}.${index}`, errors))
          : items;
      } else {
        const first: unknown = Array.isArray(value) ? value[0] : value;
        next = converter ? convertOne(first, converter, name, errors) : first;
      }
      if (next !== value) (out ??= { ...plain })[name] = next;
    }
    return out ?? plain;
  };
}

function convertOne(
  value: unknown,
  converter: { convert: StringConverter; expected: string },
  path: string,
  errors: FieldErrors,
): unknown {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  const converted = converter.convert(value);
  if (converted !== NOT_CONVERTIBLE) return converted;
  (errors[path] ??= []).push(`${path} must be ${converter.expected}`);
  return undefined;
}

/** The class `@Type(() => X)` declares for a property, if any. */
export function nestedType(dto: Constructor, property: string): Constructor | undefined {
  const type: unknown = transformerStorage().findTypeMetadata(dto, property)?.typeFunction();
  return typeof type === 'function' &&
    type !== Number &&
    type !== String &&
    type !== Boolean &&
    type !== Date
    ? (type as Constructor)
    : undefined;
}
