import { FlagonError } from '../errors/flagon-error';
import type { RouteDefinition } from './route-table';
import type { ParsedRule } from './rule';

export type UrlParams = Readonly<Record<string, unknown>>;

export interface UrlForOptions {
  /** An absolute URL with scheme and host (from the current request, or SERVER_NAME). */
  readonly external?: boolean;
  /** A fragment appended after `#`. */
  readonly anchor?: string;
}

/** Where external URLs point when there is no request to take the host from. */
export interface UrlOrigin {
  readonly scheme: string;
  readonly host: string | undefined;
}

function encodePathValue(text: string, keepSlashes: boolean): string {
  if (!keepSlashes) return encodeURIComponent(text);
  return text.split('/').map(encodeURIComponent).join('/');
}

function appendQuery(search: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) appendQuery(search, name, item);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- like Flask's str(): Date, URL and custom classes format themselves
  search.append(name, String(value));
}

/**
 * Builds URLs from endpoint names: Flask's `url_for`. Rules are read once at startup; values go
 * through each variable's converter and are percent-encoded; other params become the query string.
 */
export class UrlBuilder {
  private readonly rulesByEndpoint = new Map<string, ParsedRule[]>();

  constructor(routes: readonly RouteDefinition[]) {
    for (const route of routes) {
      const rules = this.rulesByEndpoint.get(route.endpoint) ?? [];
      if (!rules.some((rule) => rule.rule === route.rule.rule)) rules.push(route.rule);
      this.rulesByEndpoint.set(route.endpoint, rules);
    }
    // Werkzeug tries the rules with the most variables first, so given params fill the path, not the query.
    for (const rules of this.rulesByEndpoint.values())
      rules.sort((a, b) => b.paramNames.length - a.paramNames.length);
  }

  get endpoints(): readonly string[] {
    return [...this.rulesByEndpoint.keys()];
  }

  build(
    endpoint: string,
    params: UrlParams = {},
    options: UrlForOptions = {},
    origin?: UrlOrigin,
  ): string {
    const rules = this.rulesByEndpoint.get(endpoint);
    if (!rules) {
      const known = [...this.rulesByEndpoint.keys()];
      const close = known.filter((name) => name.endsWith(endpoint.split('.').at(-1) ?? endpoint));
      throw new FlagonError(
        'FLAGON_URL_UNKNOWN_ENDPOINT',
        `urlFor('${endpoint}'): no such endpoint${close.length ? `; did you mean ${close.map((n) => `'${n}'`).join(', ')}?` : ''}`,
      );
    }
    // Like Werkzeug: the first rule (most variables first) whose variables are all given.
    const rule = rules.find((candidate) =>
      candidate.paramNames.every((name) => params[name] !== undefined && params[name] !== null),
    );
    if (!rule) {
      const expected = rules.map((r) => r.paramNames.join(', ') || '(none)').join(' or ');
      const missing = (rules[0]?.paramNames ?? []).filter(
        (name) => params[name] === undefined || params[name] === null,
      );
      throw new FlagonError(
        'FLAGON_URL_MISSING_PARAM',
        `urlFor('${endpoint}') is missing ${missing.join(', ')}; the endpoint expects: ${expected}`,
      );
    }
    let path = '';
    for (const part of rule.parts) {
      if (part.kind === 'text') {
        path += part.text;
        continue;
      }
      let text: string;
      try {
        text = part.converter.format(params[part.name]);
      } catch (error) {
        throw new FlagonError(
          'FLAGON_URL_INVALID_PARAM',
          `urlFor('${endpoint}'): ${part.name}=${JSON.stringify(params[part.name])} does not fit <${part.converterName}:${part.name}> (${(error as Error).message})`,
          { cause: error },
        );
      }
      path += encodePathValue(text, part.converter.isPath === true);
    }
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (!rule.paramNames.includes(name)) appendQuery(search, name, value);
    }
    const query = search.toString();
    let url = query ? `${path}?${query}` : path;
    if (options.anchor !== undefined) url += `#${encodeURI(options.anchor).replace(/#/g, '%23')}`;
    if (options.external) {
      if (!origin?.host) {
        throw new FlagonError(
          'FLAGON_URL_INVALID_PARAM',
          `urlFor('${endpoint}', …, { external: true }) needs a request or the SERVER_NAME setting to know the host`,
        );
      }
      url = `${origin.scheme}://${origin.host}${url}`;
    }
    return url;
  }
}
