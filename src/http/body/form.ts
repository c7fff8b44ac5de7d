import { FlagonError } from '../../errors/flagon-error';
import type { QueryValue } from '../request';
import { decodeUtf8 } from './text';

/** Form fields: a repeated name gives an array, in order. Null-prototype, so no key reaches a prototype. */
export type FormFields = Record<string, QueryValue>;

/** Adds one field value, turning a repeated name into an array. */
export function addField(fields: FormFields, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else if (typeof existing === 'string') fields[name] = [existing, value];
  else existing.push(value);
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch (error) {
    throw new FlagonError(
      'FLAGON_BODY_MALFORMED',
      'Form body has a malformed percent-encoding or invalid UTF-8',
      { cause: error },
    );
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body. More than `maxParts` fields is a 413 naming
 * the limit (MAX_FORM_PARTS or the route's override), counted before anything is decoded.
 *
 * @example
 * parseForm(Buffer.from('tag=a&tag=b&q=x'), 1000); // { tag: ['a', 'b'], q: 'x' }
 */
export function parseForm(
  bytes: Uint8Array,
  maxParts: number,
  limitName = 'MAX_FORM_PARTS',
): FormFields {
  const text = decodeUtf8(bytes);
  const fields = Object.create(null) as FormFields;
  if (text === '') return fields;
  let count = 1;
  for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) count++;
  if (count > maxParts) {
    throw new FlagonError(
      'FLAGON_BODY_TOO_LARGE',
      `Form has more than ${limitName} (${maxParts}) fields`,
      { details: { limit: limitName, max: maxParts } },
    );
  }
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    addField(
      fields,
      decodeComponent(eq === -1 ? pair : pair.slice(0, eq)),
      eq === -1 ? '' : decodeComponent(pair.slice(eq + 1)),
    );
  }
  return fields;
}
