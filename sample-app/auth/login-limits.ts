import type { FormReader, Request, Response } from '../../src';

/** HTTP status of a failed login page: the form again, with its message (as Devise answers). */
export const FAILED_LOGIN_STATUS = 422;

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

export function isFailedLogin(response: Response): boolean {
  return response.status === FAILED_LOGIN_STATUS;
}

export function isLoggedIn(response: Response): boolean {
  return response.status === 302;
}
