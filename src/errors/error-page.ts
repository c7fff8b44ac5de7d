import { STATUS_CODES } from 'node:http';
import { Response } from '../http/response';
import type { Request } from '../http/request';
import { errorSlug } from './codes';
import type { FlagonError } from './flagon-error';
import { isHttpError } from './http-errors';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * What a production client learns of a 5xx: the status's standard phrase ("Service Unavailable"
 * for a 503, so a client knows to retry) and nothing of the error's own message.
 */
export function publicServerError(status: number): { readonly slug: string; readonly message: string } {
  const message = STATUS_CODES[status] ?? 'Internal Server Error';
  return { slug: message.toLowerCase().replace(/[^a-z0-9]+/g, '_'), message };
}

/** Browsers ask for HTML; API clients get JSON. */
export function prefersHtml(req: Request): boolean {
  const accept = req.header('accept') ?? '';
  return accept.includes('text/html');
}

/**
 * The response for an error no handler took. 5xx messages are generic unless in debug mode, so no
 * stack, file path or internal message ever reaches a production client.
 */
export function defaultErrorResponse(error: FlagonError, req: Request, isDebug: boolean): Response {
  const status = error.status;
  const isServerError = status >= 500;
  const hidden = isServerError && !isDebug ? publicServerError(status) : undefined;
  const message = hidden?.message ?? error.message;
  const slug = hidden?.slug ?? errorSlug(error.code);
  const trace = isDebug ? String((error.cause as Error | undefined)?.stack ?? error.stack) : undefined;
  const response = prefersHtml(req)
    ? Response.html(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(slug)}</title></head>` +
          `<body><h1>${status}</h1><p>${escapeHtml(message)}</p>${trace ? `<pre>${escapeHtml(trace)}</pre>` : ''}</body></html>\n`,
        { status },
      )
    : Response.json({ error: slug, message, ...(isServerError && !isDebug ? {} : error.details), ...(trace ? { stack: trace } : {}) }, { status });
  if (isHttpError(error)) {
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  }
  return response;
}
