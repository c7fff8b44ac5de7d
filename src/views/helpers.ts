import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type Handlebars from 'handlebars';
import { requestContext } from '../context/request-context';
import type { UrlForOptions, UrlParams } from '../routing/url-for';
import { safeJoin } from '../files/safe-path';
import type { ViewEngine } from './engine';
import { handlebars, safeString } from './handlebars';

/** What the built-in helpers need from the app, without importing it. */
export interface HelperHost {
  /** Builds a URL outside a request (SERVER_NAME and PREFERRED_URL_SCHEME for external ones). */
  readonly urlFor: (endpoint: string, params?: UrlParams, options?: UrlForOptions) => string;
  /** Static folders by endpoint: `static` for the app's, `<module>.static` for a module's. */
  readonly staticFolders: ReadonlyMap<string, string>;
  /** Re-hash a static file when it changes (debug); otherwise its first hash is kept. */
  readonly isAutoReload: boolean;
}

interface HelperOptions {
  readonly hash: Record<string, unknown>;
  readonly data?: { blocks?: Record<string, string> };
  fn?(context: unknown): string;
  inverse?(context: unknown): string;
}

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;

/**
 * JSON that is safe inside `<script>`: `<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX` escapes,
 * so `</script>` or `<!--` in the data cannot end the script element.
 *
 * @example
 * const inline = toScriptJson({ name: '</script>' }); // {"name":"\u003c/script\u003e"}
 */
export function toScriptJson(value: unknown): string {
  // JSON.stringify is typed as returning a string, but returns undefined for undefined, a function or a symbol.
  const json = (JSON.stringify(value) as string | undefined) ?? 'null';
  return json.replace(
    SCRIPT_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** HTML a helper returns that `{{ }}` must not escape again. */
export type SafeHtml = Handlebars.SafeString;

/**
 * Marks HTML a helper built as safe, so `{{helper}}` prints it unescaped. Escape every value you
 * put into it yourself.
 *
 * @example
 * views.registerHelper('badge', (text) => safeHtml(`<span class="badge">${escapeHtml(String(text))}</span>`));
 */
export function safeHtml(html: string): SafeHtml {
  return safeString(html);
}

/**
 * Escapes text for HTML the way `{{ }}` does, for helpers that build HTML.
 *
 * @example
 * escapeHtml('<b>'); // '&lt;b&gt;'
 */
export function escapeHtml(text: string): string {
  return handlebars().Utils.escapeExpression(text);
}

function splitOptions(args: readonly unknown[]): { positional: unknown[]; options: HelperOptions } {
  return { positional: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

/** Hash params become URL params; `_external` and `_anchor` are urlFor options (Flask's spelling). */
function urlArguments(hash: Record<string, unknown>): {
  params: Record<string, unknown>;
  options: UrlForOptions;
} {
  const params: Record<string, unknown> = {};
  let external = false;
  let anchor: string | undefined;
  for (const [key, value] of Object.entries(hash)) {
    if (key === '_external') external = value === true;
    else if (key === '_anchor') anchor = String(value);
    else params[key] = value;
  }
  return { params, options: { external, ...(anchor === undefined ? {} : { anchor }) } };
}

/**
 * Registers Flagon's built-in helpers on an engine: `urlFor`, `static`, `json`, the `content`/`block`
 * pair for layouts, and placeholders for `csrfToken`, `csrfField` and `flashes` that the security and
 * session features replace by registering helpers of the same names.
 */
export function registerBuiltinHelpers(engine: ViewEngine, host: HelperHost): void {
  const hashes = new Map<string, { readonly version: string; readonly mtimeMs: number }>();
  const versionOf = (file: string): string | undefined => {
    try {
      const stat = statSync(file);
      const known = hashes.get(file);
      if (known && (!host.isAutoReload || known.mtimeMs === stat.mtimeMs)) return known.version;
      const version = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
      hashes.set(file, { version, mtimeMs: stat.mtimeMs });
      return version;
    } catch {
      return undefined;
    }
  };

  engine.registerHelper('urlFor', (...args) => {
    const { positional, options } = splitOptions(args);
    const { params, options: urlOptions } = urlArguments(options.hash);
    const endpoint = String(positional[0]);
    const req = requestContext.getStore();
    return req
      ? req.urlFor(endpoint, params, urlOptions)
      : host.urlFor(endpoint, params, urlOptions);
  });

  engine.registerHelper('static', (...args) => {
    const { positional, options } = splitOptions(args);
    const filename = String(positional[0]);
    const module = options.hash['module'];
    const endpoint = typeof module === 'string' && module !== '' ? `${module}.static` : 'static';
    const { options: urlOptions } = urlArguments(options.hash);
    const req = requestContext.getStore();
    const url = req
      ? req.urlFor(endpoint, { filename }, urlOptions)
      : host.urlFor(endpoint, { filename }, urlOptions);
    const folder = host.staticFolders.get(endpoint);
    const file = folder === undefined ? undefined : safeJoin(folder, filename);
    const version = file === undefined ? undefined : versionOf(file);
    return version === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}v=${version}`;
  });

  engine.registerHelper('json', (...args) =>
    safeString(toScriptJson(splitOptions(args).positional[0])),
  );

  // A page fills a named block; its layout prints it with {{{block "name"}}} (or a default between {{#block}}…{{/block}}).
  engine.registerHelper('content', function (this: unknown, ...args) {
    const { positional, options } = splitOptions(args);
    const blocks = options.data?.blocks;
    if (blocks && options.fn) blocks[String(positional[0])] = options.fn(this);
    return '';
  });
  engine.registerHelper('block', function (this: unknown, ...args) {
    const { positional, options } = splitOptions(args);
    const filled = options.data?.blocks?.[String(positional[0])];
    return safeString(filled ?? options.fn?.(this) ?? '');
  });

  // Placeholders until the security and session features register the real ones.
  engine.registerHelper('csrfToken', () => '');
  engine.registerHelper('csrfField', () => '');
  engine.registerHelper('flashes', function (this: unknown, ...args) {
    const { options } = splitOptions(args);
    return options.fn ? (options.inverse?.(this) ?? '') : [];
  });
}
