import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { FlagonError } from '../errors/flagon-error';

/** The files of swagger-ui-dist the page loads, served from the installed package. */
export const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;
export type DocsAsset = (typeof DOCS_ASSETS)[number];

/** Where the installed swagger-ui-dist keeps `asset` (resolved when the docs page is set up). */
export function docsAssetPath(asset: DocsAsset): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('swagger-ui-dist/package.json');
  } catch (error) {
    throw new FlagonError(
      'FLAGON_DEPENDENCY_MISSING',
      'The API docs page needs the package "swagger-ui-dist", which is not installed: npm install swagger-ui-dist',
      { cause: error },
    );
  }
  return join(dirname(packageJson), asset);
}

/** What the page needs: its URLs are the app's, so nothing comes from a CDN. */
export interface DocsPageOptions {
  readonly title: string;
  /** The URL of the OpenAPI document (OpenApiModule's `path`). */
  readonly documentUrl: string;
  /** The URL under which the DOCS_ASSETS are served (`/docs` serves `/docs/swagger-ui.css`). */
  readonly assetsUrl: string;
  /** Origins besides the page's own that "Try it out" may call (the document's `servers`). */
  readonly connectOrigins?: readonly string[];
}

/** The page and the Content-Security-Policy it is sent with. */
export interface DocsPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON inside a <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, (char) => (char === '\u2028' ? '\\u2028' : '\\u2029'));
}

/**
 * Renders the docs page: Swagger UI's base layout (no top bar, whose inline SVG styles a strict
 * policy refuses) over the document at `documentUrl`. Its one inline script is allowed by its
 * SHA-256 hash, computed here once, so the policy has no 'unsafe-inline' and no nonce to make
 * per response; styles and scripts load from the app only, images also from data: URIs (Swagger
 * UI's icons are data: SVGs in its stylesheet).
 *
 * @example
 * const page = renderDocsPage({ title: 'Blog API', documentUrl: '/openapi.json', assetsUrl: '/docs' });
 * return new Response(page.html, { headers: { 'content-security-policy': page.contentSecurityPolicy } });
 */
export function renderDocsPage(options: DocsPageOptions): DocsPage {
  const assets = options.assetsUrl.replace(/\/+$/, '');
  const init = [
    'window.ui = SwaggerUIBundle(Object.assign(',
    scriptJson({
      url: options.documentUrl,
      dom_id: '#swagger-ui',
      deepLinking: true,
      layout: 'BaseLayout',
      validatorUrl: null,
    }),
    ', { presets: [SwaggerUIBundle.presets.apis] }));',
  ].join('');
  const hash = createHash('sha256').update(init).digest('base64');
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(options.title)}</title>` +
    `<link rel="stylesheet" href="${escapeHtml(`${assets}/swagger-ui.css`)}">` +
    `<link rel="icon" type="image/png" href="${escapeHtml(`${assets}/favicon-32x32.png`)}">` +
    '</head><body><div id="swagger-ui"></div>' +
    `<script src="${escapeHtml(`${assets}/swagger-ui-bundle.js`)}"></script>` +
    `<script>${init}</script></body></html>\n`;
  const connect = ["'self'", ...(options.connectOrigins ?? [])].join(' ');
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
