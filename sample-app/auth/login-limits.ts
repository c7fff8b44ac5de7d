import type { FormReader, Request, Response } from 'flagon';

/** Failed logins in a row, per username and IP, before the form answers 429 for a while. */
export const FAILED_LOGIN_LIMIT = '10/15 minutes';

/** Registrations per IP: an office behind one address can still sign up its people. */
export const REGISTRATION_LIMIT = '30/hour';

/**
 * Counts failed logins for a name from an address: guessing one user's password from one place
 * is slowed down, while the same user from elsewhere (or others from the same office) is not.
 */
export async function usernameAndIp(req: Request, form: FormReader): Promise<string> {
  const field = (await form())['username'];
  const username = (Array.isArray(field) ? field[0] : field) ?? '';
  return `${username.trim().toLowerCase()}|${req.ip}`;
}

/** A login POST answered with the form again (200, as flaskr does) failed; success redirects. */
export function isFailedLogin(response: Response): boolean {
  return response.status === 200;
}

export function isLoggedIn(response: Response): boolean {
  return response.status === 302;
}
