import type { ClassConstructor } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import { DEFAULT_SETTINGS, type ValidationDefaults } from '../config/config';
import type { Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import { buildCoercer, nestedType } from './coerce';
import { compileValidator } from './compiled-validator';
import { classTransformer, classValidator, validatorStorage } from './libraries';
import { toFieldErrors, ValidationFailed, type FieldErrors } from './validation-error';
import { createDictionary } from '../util/dictionary';

/** Per-call or per-route validation options; unset keys keep the app's `VALIDATION` defaults. */
export interface ValidationOptions extends Partial<ValidationDefaults> {
  /** Validation groups (class-validator's `groups`): only rules in these groups (and `always` rules) run. */
  readonly groups?: readonly string[];
  /** Input from strings only (query, form, path): convert where the DTO declares number/boolean/Date. */
  readonly fromStrings?: boolean;
}

/** The outcome of validating input against a DTO: the instance, or messages per field. */
export type Validated<TDto> =
  | { readonly ok: true; readonly value: TDto }
  | { readonly ok: false; readonly errors: FieldErrors };

/** A DTO's prepared transform-and-validate step. Built once per route at startup. */
export interface DtoPipeline<TDto> {
  readonly dto: Constructor<TDto>;
  run(plain: unknown): Validated<TDto> | Promise<Validated<TDto>>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Classes the kernel treats as plain values: a parameter typed with one gets the raw input. */
const PLAIN_TYPES = new Set<unknown>([
  Object,
  String,
  Number,
  Boolean,
  Array,
  Function,
  Promise,
  Date,
  Symbol,
  BigInt,
  Map,
  Set,
  Buffer,
  Uint8Array,
]);

/** True when a `design:paramtypes` entry is a user class to validate (not a primitive, `Object` or `unknown`). */
export function isDtoClass(type: unknown): type is Constructor {
  return typeof type === 'function' && !PLAIN_TYPES.has(type) && type.prototype !== undefined;
}

function forbiddenKey(keyPath: string): FlagonError {
  return new FlagonError(
    'FLAGON_BODY_FORBIDDEN_KEY',
    `Input contains the forbidden key "${keyPath}"`,
    { details: { key: keyPath } },
  );
}

/**
 * Throws a 400 when a key could reach a prototype (`__proto__`, `constructor`, `prototype`) at any
 * depth. Flat input, the usual DTO body, is checked without a stack or paths; nested input
 * iteratively, so a deep value cannot exhaust the stack.
 */
export function assertNoForbiddenKeys(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  let hasNested = false;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey(key);
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) hasNested = true;
  }
  if (hasNested) assertNoNestedForbiddenKeys(value);
}

function assertNoNestedForbiddenKeys(value: object): void {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    if (typeof current !== 'object' || current === null) continue;
    for (const key of Object.keys(current)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey(keyPath);
      stack.push({ value: (current as Record<string, unknown>)[key], path: keyPath });
    }
  }
}

/** class-validator's sync path silently skips async rules, so a DTO with any (nested too) takes the async one. */
function hasAsyncRules(dto: Constructor, seen = new Set<Constructor>()): boolean {
  if (seen.has(dto)) return false;
  seen.add(dto);
  const storage = validatorStorage();
  for (const meta of storage.getTargetValidationMetadatas(dto, '', true, false)) {
    // Typed as always set, but rules such as @ValidateNested or @IsOptional carry none.
    const constraintClass = meta.constraintCls as Constructor | undefined;
    if (
      constraintClass &&
      storage.getTargetValidatorConstraints(constraintClass).some((constraint) => constraint.async)
    )
      return true;
    const nested = nestedType(dto, meta.propertyName);
    if (nested && hasAsyncRules(nested, seen)) return true;
  }
  return false;
}

/**
 * Compiles a DTO class into its pipeline: forbidden-key check, string conversion (for string
 * sources), class-transformer's `plainToInstance`, class-validator. Everything is resolved here,
 * so a faster compiled validator can replace this function without touching its callers.
 *
 * @example
 * const pipeline = compileDto(CreatePostDto, { forbidNonWhitelisted: true });
 * const result = await pipeline.run({ title: 'Hi' });
 */
export function compileDto<TDto>(
  dto: Constructor<TDto>,
  options: ValidationOptions = {},
  defaults: ValidationDefaults = DEFAULT_SETTINGS.VALIDATION,
): DtoPipeline<TDto> {
  if (validatorStorage().getTargetValidationMetadatas(dto, '', true, false).length === 0) {
    throw new FlagonError(
      'FLAGON_VALIDATION_NOT_A_DTO',
      `${dto.name} is used as a DTO but declares no class-validator rules, so every property would be stripped; decorate its properties (@IsString(), @IsOptional(), …) or type the parameter as a plain object`,
    );
  }
  const validatorOptions: ValidatorOptions = {
    whitelist: options.whitelist ?? defaults.whitelist,
    forbidNonWhitelisted: options.forbidNonWhitelisted ?? defaults.forbidNonWhitelisted,
    forbidUnknownValues: options.forbidUnknownValues ?? defaults.forbidUnknownValues,
    validationError: { target: false, value: false },
    ...(options.groups ? { groups: [...options.groups] } : {}),
  };
  const validator = classValidator();
  const coerce = options.fromStrings ? buildCoercer(dto) : undefined;
  const isAsync = hasAsyncRules(dto);
  // Flat DTOs of common rules skip class-transformer and class-validator's generic executors (same
  // instance, messages and field order); everything else, and input with nested values, uses them.
  const compiled =
    isAsync || options.groups !== undefined || validatorOptions.forbidUnknownValues !== true
      ? undefined
      : compileValidator(dto, {
          whitelist: validatorOptions.whitelist === true,
          forbidNonWhitelisted: validatorOptions.forbidNonWhitelisted === true,
        });

  const finish = (
    instance: object,
    conversionErrors: FieldErrors | undefined,
    errors: Parameters<typeof toFieldErrors>[0],
  ): Validated<TDto> => {
    if (errors.length === 0 && conversionErrors === undefined)
      return { ok: true, value: instance as TDto };
    const fields = toFieldErrors(errors);
    // A value that did not convert reports that, not the rules it then fails as `undefined`.
    if (conversionErrors) Object.assign(fields, conversionErrors);
    return { ok: false, errors: fields };
  };

  return {
    dto,
    run(plain) {
      if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
        return { ok: false, errors: { $: [`expected an object for ${dto.name}`] } };
      }
      assertNoForbiddenKeys(plain);
      let conversionErrors: FieldErrors | undefined;
      let input = plain as Record<string, unknown>;
      if (coerce) {
        const errors: FieldErrors = createDictionary<string[]>();
        input = coerce(input, errors);
        if (Object.keys(errors).length > 0) conversionErrors = errors;
      }
      const fast = compiled?.(input);
      if (fast !== undefined) {
        if (fast.errors === undefined && conversionErrors === undefined)
          return { ok: true, value: fast.instance as TDto };
        return {
          ok: false,
          errors: conversionErrors
            ? Object.assign(fast.errors ?? createDictionary<string[]>(), conversionErrors)
            : (fast.errors as FieldErrors),
        };
      }
      const instance = classTransformer().plainToInstance(
        dto as ClassConstructor<TDto>,
        input,
      ) as object;
      if (isAsync)
        return validator
          .validate(instance, validatorOptions)
          .then((errors) => finish(instance, conversionErrors, errors));
      return finish(instance, conversionErrors, validator.validateSync(instance, validatorOptions));
    },
  };
}

const defaultPipelines = new WeakMap<Constructor, DtoPipeline<unknown>>();

/**
 * Transforms and validates any value against a DTO class, outside a handler too. Uses Flagon's
 * default `VALIDATION` settings unless options are given. Throws only for forbidden keys.
 *
 * @example
 * const result = await validate(SignupForm, { email: 'a@b.c' });
 * if (!result.ok) console.log(result.errors); // { password: ['password must be a string'] }
 */
export async function validate<TDto>(
  dto: Constructor<TDto>,
  plain: unknown,
  options?: ValidationOptions,
): Promise<Validated<TDto>> {
  let pipeline: DtoPipeline<TDto>;
  if (options === undefined) {
    pipeline = (defaultPipelines.get(dto) as DtoPipeline<TDto> | undefined) ?? compileDto(dto);
    defaultPipelines.set(dto, pipeline);
  } else {
    pipeline = compileDto(dto, options);
  }
  return pipeline.run(plain);
}

/** Unwraps a result for a handler argument: the instance, or a 400 ValidationFailed. */
export function orThrow<TDto>(result: Validated<TDto>): TDto {
  if (result.ok) return result.value;
  throw new ValidationFailed(result.errors);
}
