import type { ParsedRule } from './rule';

/**
 * The router path a request without the trailing slash takes to a rule whose last segment is
 * static text: `/docs/` → `/docs`, `/<user>/posts/` → `/:user/posts`; `undefined` for any other
 * rule. Werkzeug's matcher tries static segments before converters and answers a static segment
 * that only matches with its trailing slash with a redirect (`/docs` → `/docs/`), even where a
 * rule such as `/<name>` would match: registering this path as a redirect gives find-my-way, which
 * also tries static segments first, the same precedence at no cost per request.
 *
 * @example
 * slashTwin(parseRule('/docs/', BUILTIN_CONVERTERS)); // '/docs'
 */
export function slashTwin(rule: ParsedRule): string | undefined {
  const last = rule.parts.at(-1);
  if (last?.kind !== 'text' || !last.text.endsWith('/') || rule.routerPath === '/')
    return undefined;
  // The last segment must begin inside this text part (`/docs/`, not `<name>s/`) and not be empty.
  const beforeSlash = last.text.slice(0, -1);
  const segmentStart = beforeSlash.lastIndexOf('/');
  if (segmentStart < 0 || segmentStart === beforeSlash.length - 1) return undefined;
  return rule.routerPath.slice(0, -1);
}
