import type { ValidationError } from 'class-validator';
import { HttpError } from '../errors/http-errors';
import { createDictionary } from '../util/dictionary';

/** Messages per field; nested fields are dotted paths (`author.name`), array items indexed (`tags.0`). */
export type FieldErrors = Record<string, string[]>;

/**
 * The 400 a DTO that fails validation raises. Its JSON body is
 * `{ "error": "validation_failed", "message": "...", "fields": { "title": ["..."] } }`.
 *
 * @example
 * throw new ValidationFailed({ email: ['email is already registered'] });
 */
export class ValidationFailed extends HttpError {
  readonly fields: FieldErrors;

  constructor(fields: FieldErrors, message?: string) {
    // The client's input, not the code, is at fault: no stack to capture (it was most of the cost
    // of a 400 response).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('FLAGON_VALIDATION_FAILED', message ?? describe(fields), { details: { fields } });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.fields = fields;
  }
}

function describe(fields: FieldErrors): string {
  const names = Object.keys(fields);
  return `Validation failed for ${names.length === 1 ? 'field' : 'fields'} ${names.map((name) => `"${name}"`).join(', ')}`;
}

/** Flattens class-validator's error tree into dotted paths. */
export function toFieldErrors(
  errors: readonly ValidationError[],
  prefix = '',
  into: FieldErrors = createDictionary<string[]>(),
): FieldErrors {
  for (const error of errors) {
    // An error about the value itself (forbidUnknownValues' "unknown value") names no property:
    // it belongs to the field that holds the value (or `$` for the whole input).
    const path =
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as string, undefined in that case
      error.property === undefined || error.property === ''
        ? prefix.replace(/\.$/, '') || '$'
        : prefix + error.property;
    if (error.constraints) {
      const messages = Object.values(error.constraints);
      (into[path] ??= []).push(...messages);
    }
    if (error.children && error.children.length > 0)
      toFieldErrors(error.children, `${path}.`, into);
  }
  return into;
}
