import { FlagonError } from '../errors/flagon-error';
import { findConverter, type Converter } from './converters';

/** One part of a parsed Flask-style rule: literal text, or a `<converter:name>` variable. */
export type RulePart =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly converterName: string;
      readonly converter: Converter;
    };

export interface ParsedRule {
  readonly rule: string;
  readonly parts: readonly RulePart[];
  /** The same rule in find-my-way syntax (`/posts/:id(^\d+$)`). */
  readonly routerPath: string;
  readonly paramNames: readonly string[];
}

const VARIABLE = /<(?:([a-zA-Z_][a-zA-Z0-9_]*):)?([a-zA-Z_][a-zA-Z0-9_]*)>/g;

/** find-my-way treats these as syntax in static text; Flagon rules keep them literal. */
function escapeStatic(text: string): string {
  return text.replace(/:/g, '::');
}

/**
 * Parses a Werkzeug rule such as `/posts/<int:id>/edit` once, at startup.
 * The path converter may only end a rule: find-my-way's wildcard matches the rest of the path.
 */
export function parseRule(
  rule: string,
  converters: Readonly<Record<string, Converter>>,
): ParsedRule {
  if (!rule.startsWith('/')) {
    throw new FlagonError('FLAGON_ROUTE_INVALID_RULE', `Route "${rule}" must start with "/"`);
  }
  if (/[*?#]/.test(rule.replace(VARIABLE, ''))) {
    throw new FlagonError(
      'FLAGON_ROUTE_INVALID_RULE',
      `Route "${rule}" contains "*", "?" or "#"; use <path:name> or a converter`,
    );
  }
  const parts: RulePart[] = [];
  const paramNames: string[] = [];
  let routerPath = '';
  let last = 0;
  for (const match of rule.matchAll(VARIABLE)) {
    const index = match.index;
    const text = rule.slice(last, index);
    if (text.includes('<') || text.includes('>')) {
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_RULE',
        `Route "${rule}" has a malformed variable near "${text}"`,
      );
    }
    if (text) {
      parts.push({ kind: 'text', text });
      routerPath += escapeStatic(text);
    }
    const converterName = match[1] ?? 'string';
    const name = match[2] ?? '';
    if (paramNames.includes(name)) {
      throw new FlagonError(
        'FLAGON_ROUTE_INVALID_RULE',
        `Route "${rule}" names variable "${name}" twice`,
      );
    }
    const converter = findConverter(converters, converterName, rule);
    const isLast = index + match[0].length === rule.length;
    if (converter.isPath) {
      if (!isLast) {
        throw new FlagonError(
          'FLAGON_ROUTE_INVALID_RULE',
          `Route "${rule}": <${converterName}:${name}> must end the rule`,
        );
      }
      routerPath += '*';
    } else {
      const previous = parts.at(-1);
      if (previous?.kind === 'param') {
        throw new FlagonError(
          'FLAGON_ROUTE_INVALID_RULE',
          `Route "${rule}": variables need text between them`,
        );
      }
      routerPath += converter.pattern ? `:${name}(^${converter.pattern}$)` : `:${name}`;
    }
    parts.push({ kind: 'param', name, converterName, converter });
    paramNames.push(name);
    last = index + match[0].length;
  }
  const tail = rule.slice(last);
  if (tail.includes('<') || tail.includes('>')) {
    throw new FlagonError(
      'FLAGON_ROUTE_INVALID_RULE',
      `Route "${rule}" has a malformed variable near "${tail}"`,
    );
  }
  if (tail) {
    parts.push({ kind: 'text', text: tail });
    routerPath += escapeStatic(tail);
  }
  return { rule, parts, routerPath, paramNames };
}

/** Joins a prefix and a rule the way blueprints do: one slash between, none doubled. */
export function joinPaths(...segments: readonly (string | undefined)[]): string {
  let joined = '';
  for (const segment of segments) {
    if (!segment || segment === '/') continue;
    const trimmed = segment.replace(/^\/+/, '');
    joined = joined.replace(/\/+$/, '') + '/' + trimmed;
  }
  const last = segments.filter((s) => s !== undefined && s !== '').at(-1);
  if (joined === '') return '/';
  // A rule that ends with "/" keeps it: Flask's trailing-slash redirect depends on it.
  if (last?.endsWith('/') && !joined.endsWith('/')) joined += '/';
  return joined;
}
