/** A check of one property value (the object it belongs to is passed for constraints that read it). */
export type Check = (value: unknown, object: object) => boolean;

/**
 * Addresses validator.js's `isEmail` (class-validator's `@IsEmail()`, default options) certainly
 * accepts: dot-separated ASCII atoms of its local-part alphabet, `@`, then hostname labels
 * (letters, digits, inner hyphens, at most 63 characters) and an alphabetic top-level domain.
 * The lengths isEmail checks on top (whole address ≤ 254, local part ≤ 64) are checked beside it.
 */
const PLAIN_EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Characters validator.js's `isLength` does not count one for one (surrogate pairs, variation selectors). */
const UNEVEN_LENGTH = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

/**
 * `@IsEmail()` with default options: most addresses are plain ASCII, and those are answered here
 * without validator.js's option merging, splitting and per-label regexps; anything else (quoted
 * local parts, Unicode, IP domains, rejections other than a missing `@`) is decided by
 * validator.js itself, so the verdict is always validator.js's.
 *
 * @example
 * const check = emailCheck(byClassValidator); check('ada@example.com', dto); // true, without validator.js
 */
export function emailCheck(byClassValidator: Check): Check {
  return (value, object) => {
    // Not a string, or no `@` at all (validator.js would find an empty local part): never an address.
    if (typeof value !== 'string') return false;
    const at = value.indexOf('@');
    if (at === -1) return false;
    if (value.length <= 254 && at <= 64 && PLAIN_EMAIL.test(value)) return true;
    return byClassValidator(value, object);
  };
}

/**
 * `@Length(min, max)`: validator.js counts a surrogate pair or a character with a variation
 * selector as one; strings without either (nearly all) are measured by `length`, the rest by
 * validator.js.
 *
 * @example
 * const check = lengthCheck(1, 50, byClassValidator); check('Ada', dto); // true
 */
export function lengthCheck(min: number, max: number | undefined, byClassValidator: Check): Check {
  return (value, object) => {
    if (typeof value !== 'string') return false;
    if (UNEVEN_LENGTH.test(value)) return byClassValidator(value, object);
    return value.length >= min && (max === undefined || value.length <= max);
  };
}
