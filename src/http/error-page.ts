import { STATUS_CODES } from 'node:http';
import { Response } from './response';
import type { Request } from './request';
import { errorSlug } from '../errors/codes';
import type { FlagonError } from '../errors/flagon-error';
import { isHttpError } from '../errors/http-errors';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What an error page shows of an error: the same for the built-in page and `errors/*.hbs` templates. */
export interface PublicError {
  readonly status: number;
  readonly slug: string;
  readonly message: string;
  /** The stack, for a 5xx in debug mode only. */
  readonly trace: string | undefined;
  /** False for a 5xx outside debug mode: its details stay private too. */
  readonly isShown: boolean;
}

/**
 * What a client learns of an error. For a 5xx outside debug mode, only the status's standard
 * phrase ("Service Unavailable" for a 503, so a client knows to retry), nothing of the error's
 * own message; stacks only for a 5xx in debug mode.
 */
export function publicError(error: FlagonError, isDebug: boolean): PublicError {
  const status = error.status;
  // A 4xx is the client's doing (a missing field or token): its stack would only be noise.
  const trace =
    isDebug && status >= 500
      ? String((error.cause as Error | undefined)?.stack ?? error.stack)
      : undefined;
  if (status >= 500 && !isDebug) {
    const message = STATUS_CODES[status] ?? 'Internal Server Error';
    return {
      status,
      slug: message.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      message,
      trace,
      isShown: false,
    };
  }
  return { status, slug: errorSlug(error.code), message: error.message, trace, isShown: true };
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
  const { status, slug, message, trace, isShown } = publicError(error, isDebug);
  const response = prefersHtml(req)
    ? Response.html(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(slug)}</title></head>` +
          `<body><h1>${status}</h1><p>${escapeHtml(message)}</p>${trace ? `<pre>${escapeHtml(trace)}</pre>` : ''}</body></html>\n`,
        { status },
      )
    : Response.json(
        {
          error: slug,
          message,
          ...(isShown ? error.details : {}),
          ...(trace ? { stack: trace } : {}),
        },
        { status },
      );
  if (isHttpError(error)) {
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  }
  return response;
}
