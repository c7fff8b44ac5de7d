import type { ValidationArguments } from 'class-validator';
import type { Constructor } from '../di/tokens';
import { emailCheck, lengthCheck, type Check } from './string-checks';
import type { FieldErrors } from './validation-error';
import { createDictionary } from '../util/dictionary';

import { transformerStorage, validatorStorage } from './libraries';

/** What class-validator needs to know per call, fixed per pipeline. */
export interface CompiledValidatorOptions {
  readonly whitelist: boolean;
  readonly forbidNonWhitelisted: boolean;
}

/**
 * A DTO's transform-and-validate step compiled once: builds the instance the way
 * class-transformer's `plainToInstance` does for flat input and checks it the way class-validator's
 * `validateSync` does, with the same messages, field names and order. `undefined` from `compile…`
 * means the DTO uses something not compiled and the caller keeps class-validator.
 */
export type CompiledValidator = (
  input: Record<string, unknown>,
) => { readonly instance: object; readonly errors: FieldErrors | undefined } | undefined;

type ValidateFn = (value: unknown, args?: ValidationArguments) => unknown;

interface ConstraintRule {
  readonly type: string;
  readonly check: Check;
  readonly message: (object: object, value: unknown) => string;
}

interface PropertyRules {
  readonly name: string;
  /** IsOptional / ValidateIf: every one must pass for the rules to run. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  readonly defined: readonly ConstraintRule[];
  readonly rules: readonly ConstraintRule[];
}

// Metadata field names, as class-validator's ValidationTypes spells them.
const CUSTOM = 'customValidation';
const CONDITIONAL = 'conditionalValidation';
const IS_DEFINED = 'isDefined';
const WHITELIST = 'whitelistValidation';

/** class-validator's `constraintToString`. */
function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return String(constraint.description);
  return String(constraint);
}

/** class-validator's `ValidationUtils.replaceMessageSpecialTokens`, token for token. */
function replaceTokens(message: unknown, args: ValidationArguments): string {
  let text: string | undefined;
  if (message instanceof Function) text = (message as (args: ValidationArguments) => string)(args);
  else if (typeof message === 'string') text = message;
  if (text && Array.isArray(args.constraints)) {
    args.constraints.forEach((constraint, index) => {
      text = (text as string).replace(
        new RegExp(`\\$constraint${index + 1}`, 'g'),
        constraintToString(constraint),
      );
    });
  }
  if (
    text &&
    args.value !== undefined &&
    args.value !== null &&
    ['string', 'boolean', 'number'].includes(typeof args.value)
  ) {
    text = text.replace(/\$value/g, args.value as string);
  }
  if (text) text = text.replace(/\$property/g, args.property);
  if (text) text = text.replace(/\$target/g, args.targetName);
  return text as string;
}

/**
 * Inline versions of the common built-in constraints (the same tests validator.js and
 * class-validator make); any other constraint runs its own `validate`.
 */
function specialise(
  name: string | undefined,
  constraints: readonly unknown[] | undefined,
): Check | undefined {
  const [first] = constraints ?? [];
  switch (name) {
    case 'isString':
      return (value) => typeof value === 'string' || value instanceof String;
    case 'isBoolean':
      return (value) => typeof value === 'boolean' || value instanceof Boolean;
    case 'isInt':
      return (value) => typeof value === 'number' && Number.isInteger(value);
    case 'isNumber':
      // Only the default options; others (allowNaN, maxDecimalPlaces, …) run class-validator's code.
      if (
        first !== undefined &&
        (typeof first !== 'object' || first === null || Object.keys(first).length > 0)
      )
        return undefined;
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'min':
      return typeof first === 'number'
        ? (value) => typeof value === 'number' && value >= first
        : undefined;
    case 'max':
      return typeof first === 'number'
        ? (value) => typeof value === 'number' && value <= first
        : undefined;
    case 'isIn': {
      if (!Array.isArray(first)) return undefined;
      const allowed = new Set<unknown>(first);
      // `some(v => v === value)`: NaN never matches, unlike Set#has.
      return (value) => allowed.has(value) && !Number.isNaN(value);
    }
    case 'isEnum': {
      if (typeof first !== 'object' || first === null) return undefined;
      const allowed = new Set<unknown>(
        Object.keys(first).map((key) => (first as Record<string, unknown>)[key]),
      );
      return (value) => allowed.has(value);
    }
    case 'isNotEmpty':
      return (value) => value !== '' && value !== null && value !== undefined;
    case 'isDefined':
      return (value) => value !== undefined && value !== null;
    case 'isArray':
      return (value) => Array.isArray(value);
    case 'arrayMinSize':
      return typeof first === 'number'
        ? (value) => Array.isArray(value) && value.length >= first
        : undefined;
    case 'arrayMaxSize':
      return typeof first === 'number'
        ? (value) => Array.isArray(value) && value.length <= first
        : undefined;
    default:
      return undefined;
  }
}

/**
 * String constraints whose common inputs are decided here and the rest by the constraint's own
 * validator.js code (`byClassValidator`), so the verdict is always class-validator's.
 */
function specialiseString(
  name: string | undefined,
  constraints: readonly unknown[] | undefined,
  byClassValidator: Check,
): Check | undefined {
  const [first, second] = constraints ?? [];
  switch (name) {
    case 'isEmail':
      // Only the default options: any option changes what validator.js accepts.
      return first === undefined ||
        (typeof first === 'object' && first !== null && Object.keys(first).length === 0)
        ? emailCheck(byClassValidator)
        : undefined;
    case 'isLength':
      return typeof first === 'number' &&
        !Number.isNaN(first) &&
        (second === undefined || typeof second === 'number')
        ? lengthCheck(first, second, byClassValidator)
        : undefined;
    case 'minLength':
      return typeof first === 'number' && !Number.isNaN(first)
        ? lengthCheck(first, undefined, byClassValidator)
        : undefined;
    case 'maxLength':
      return typeof first === 'number' ? lengthCheck(0, first, byClassValidator) : undefined;
    default:
      return undefined;
  }
}

/** True when class-transformer would do more than copy values (it has metadata for the class). */
function hasTransformerMetadata(dto: Constructor): boolean {
  const storage = transformerStorage() as unknown as Record<string, Map<unknown, unknown>>;
  for (
    let target: unknown = dto;
    typeof target === 'function' && target !== Function.prototype;
    target = Object.getPrototypeOf(target)
  ) {
    for (const field of [
      '_typeMetadatas',
      '_transformMetadatas',
      '_exposeMetadatas',
      '_excludeMetadatas',
    ]) {
      if (storage[field]?.has(target)) return true;
    }
  }
  return false;
}

/**
 * Compiles a flat DTO (validation and transformation metadata class-validator and
 * class-transformer would read) into one function; `undefined` when the DTO needs anything this
 * does not reproduce exactly: nested or `each` rules, groups, async or promise rules,
 * class-transformer decorators.
 *
 * @example
 * const compiled = compileValidator(CreateUserDto, { whitelist: true, forbidNonWhitelisted: false });
 * const result = compiled?.({ name: 'Ada' }); // { instance, errors: { email: [...] } }
 */
export function compileValidator(
  dto: Constructor,
  options: CompiledValidatorOptions,
): CompiledValidator | undefined {
  if (hasTransformerMetadata(dto)) return undefined;
  const storage = validatorStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  if (metadatas.length === 0) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  const targetName = dto.name;
  const properties: PropertyRules[] = [];
  for (const name of Object.keys(grouped)) {
    const conditions: PropertyRules['conditions'][number][] = [];
    const defined: ConstraintRule[] = [];
    const rules: ConstraintRule[] = [];
    for (const meta of grouped[name] ?? []) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as set, but metadata from plain objects may lack it
      if (meta.each || meta.always || (meta.groups && meta.groups.length > 0)) return undefined;
      if (meta.type === WHITELIST) continue;
      if (meta.type === CONDITIONAL) {
        const condition = (meta.constraints as unknown[] | undefined)?.[0];
        if (typeof condition !== 'function') return undefined;
        conditions.push(condition as (object: object, value: unknown) => boolean);
        continue;
      }
      if (meta.type !== CUSTOM && meta.type !== IS_DEFINED) return undefined;
      const constraintClass = meta.constraintCls as Constructor | undefined;
      if (!constraintClass) return undefined;
      for (const constraint of storage.getTargetValidatorConstraints(constraintClass)) {
        if (constraint.async) return undefined;
        const instance = constraint.instance as {
          validate: ValidateFn;
          defaultMessage?: (args: ValidationArguments) => string;
        };
        const type = constraint.name || meta.type;
        const args = (object: object, value: unknown): ValidationArguments => ({
          targetName,
          property: meta.propertyName,
          object,
          value,
          constraints: meta.constraints as unknown[],
        });
        // Anything not inlined runs its own validate (custom constraints too), as class-validator would.
        const byClassValidator: Check = (value, object) =>
          Boolean(instance.validate(value, args(object, value)));
        // Inline only the decorators class-validator itself declares (their metadata carries the name).
        const isBuiltIn = meta.name !== undefined && meta.name === constraint.name;
        const constraints = meta.constraints as unknown[] | undefined;
        const own = isBuiltIn
          ? (specialise(meta.name, constraints) ??
            specialiseString(meta.name, constraints, byClassValidator))
          : undefined;
        const check: Check = own ?? byClassValidator;
        // The message for a given (raw message, constraints) pair is fixed unless it prints the value.
        const cache = new Map<string, string>();
        const message = (object: object, value: unknown): string => {
          const validationArgs = args(object, value);
          let raw: unknown = meta.message || '';
          if (!meta.message && instance.defaultMessage instanceof Function)
            raw = instance.defaultMessage(validationArgs);
          if (typeof raw !== 'string' || raw.includes('$value'))
            return replaceTokens(raw, validationArgs);
          let text = cache.get(raw);
          if (text === undefined) {
            text = replaceTokens(raw, validationArgs);
            cache.set(raw, text);
          }
          return text;
        };
        (meta.type === IS_DEFINED ? defined : rules).push({ type, check, message });
      }
    }
    properties.push({ name, conditions, defined, rules });
  }
  const known = new Set(Object.keys(grouped));
  const { whitelist, forbidNonWhitelisted } = options;

  return (input) => {
    // class-transformer's plainToInstance copies nested objects and arrays: leave those to it.
    const instance = new dto() as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (typeof value === 'object' && value !== null) return undefined;
      instance[key] = value;
    }
    let errors: FieldErrors | undefined;
    if (whitelist) {
      for (const key of Object.keys(instance)) {
        if (known.has(key)) continue;
        if (forbidNonWhitelisted)
          (errors ??= createDictionary<string[]>())[key] = [`property ${key} should not exist`];
        else Reflect.deleteProperty(instance, key);
      }
    }
    for (const property of properties) {
      const value = instance[property.name];
      let canValidate = true;
      for (const condition of property.conditions)
        canValidate = condition(instance, value) && canValidate;
      if (!canValidate) continue;
      let constraints: Record<string, string> | undefined;
      for (const rule of property.defined)
        if (!rule.check(value, instance))
          (constraints ??= {})[rule.type] = rule.message(instance, value);
      for (const rule of property.rules)
        if (!rule.check(value, instance))
          (constraints ??= {})[rule.type] = rule.message(instance, value);
      if (constraints !== undefined)
        (errors ??= createDictionary<string[]>())[property.name] = Object.values(constraints);
    }
    return { instance, errors };
  };
}
