import { FlagonError } from '../errors/flagon-error';
import { Response } from './response';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Makes a Location value safe to send: control characters are refused (header injection), and
 * characters Node cannot put in a header (above U+00FF) or that are not URL-safe are
 * percent-encoded, leaving existing `%XX` escapes alone.
 */
export function encodeLocation(url: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) {
    throw new FlagonError(
      'FLAGON_RESPONSE_INVALID_REDIRECT',
      'Redirect target contains control characters (CR, LF, NUL, …)',
    );
  }
  return encodeURI(url.replace(/%(?![0-9a-fA-F]{2})/g, '%25')).replace(
    /%25([0-9a-fA-F]{2})/g,
    '%$1',
  );
}

/**
 * A redirect response, like Flask's `redirect()`.
 *
 * @example
 * return redirect(urlFor('auth.AuthController.login'));
 */
export function redirect(url: string, status = 302): Response {
  if (!REDIRECT_STATUSES.has(status)) {
    throw new FlagonError(
      'FLAGON_RESPONSE_INVALID_REDIRECT',
      `redirect() status must be one of 301, 302, 303, 307, 308; got ${status}`,
    );
  }
  const location = encodeLocation(url);
  const response = new Response(null, { status });
  response.setHeader('location', location);
  return response;
}
