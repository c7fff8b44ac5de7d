import { FlagonError } from '../errors/flagon-error';

/**
 * A path converter, as in Werkzeug: `pattern` is what find-my-way matches in one path segment,
 * `parse` turns the matched text into the handler's value (throw or return `undefined` to reject
 * it, which makes the request a 404), `format` turns a value back into URL text for `urlFor`.
 *
 * @example
 * const hex: Converter<number> = { pattern: '[0-9a-f]+', parse: (s) => parseInt(s, 16), format: (n) => n.toString(16) };
 */
export interface Converter<TValue = unknown> {
  /** A regular-expression source matching one segment (no `/`), or `undefined` for any segment. */
  readonly pattern?: string;
  parse(text: string): TValue | undefined;
  format(value: TValue): string;
  /** Matches the rest of the path, slashes included; only valid as the last part of a rule. */
  readonly isPath?: boolean;
}

const INT_TEXT = /^\d+$/;
const FLOAT_TEXT = /^\d+\.\d+$/;
const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function formatInteger(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && INT_TEXT.test(value)) return value;
  throw new TypeError('expected a non-negative integer');
}

/** Writes a float without exponent notation (`5e-7` → `0.0000005`), which the float pattern would not match. */
function toPlainDecimal(value: number): string {
  const text = String(value);
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text.includes('.') ? text : `${text}.0`;
  const digits = `${match[1] ?? ''}${match[2] ?? ''}`;
  const exponent = Number(match[3]);
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${digits.padEnd(exponent + 1, '0')}.0`;
}

function formatFloat(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return toPlainDecimal(value);
  if (typeof value === 'string' && FLOAT_TEXT.test(value)) return value;
  throw new TypeError('expected a non-negative float');
}

function formatText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    if (text.length > 0) return text;
  }
  throw new TypeError('expected a non-empty string');
}

/** The built-in converters, with Werkzeug's names and rules (ints and floats are unsigned). */
export const BUILTIN_CONVERTERS: Readonly<Record<string, Converter>> = {
  // find-my-way decodes %2F inside a segment; Werkzeug's string converter never matches a slash.
  // format refuses a slash too, so urlFor never builds a URL that its own route would not match.
  string: {
    parse: (text) => (text.length > 0 && !text.includes('/') ? text : undefined),
    format: (value) => {
      const text = formatText(value);
      if (text.includes('/'))
        throw new TypeError('expected text without "/" (use <path:…> for values with slashes)');
      return text;
    },
  },
  int: {
    pattern: '\\d+',
    parse: (text) => {
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : undefined;
    },
    format: formatInteger,
  },
  float: { pattern: '\\d+\\.\\d+', parse: (text) => Number(text), format: formatFloat },
  uuid: {
    pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
    parse: (text) => (UUID_TEXT.test(text) ? text.toLowerCase() : undefined),
    format: (value) => {
      if (typeof value === 'string' && UUID_TEXT.test(value)) return value.toLowerCase();
      throw new TypeError('expected a UUID string');
    },
  },
  path: { isPath: true, parse: (text) => (text.length > 0 ? text : undefined), format: formatText },
};

/** Looks a converter up by name, failing at startup with the names that do exist. */
export function findConverter(
  converters: Readonly<Record<string, Converter>>,
  name: string,
  rule: string,
): Converter {
  const converter = converters[name];
  if (!converter) {
    throw new FlagonError(
      'FLAGON_ROUTE_UNKNOWN_CONVERTER',
      `Route "${rule}" uses converter "${name}"; known converters: ${Object.keys(converters).join(', ')}. ` +
        'Register custom ones with createApp({ converters }).',
    );
  }
  return converter;
}
