import {
  Injectable,
  loadCurrentUser,
  loadSession,
  redirect,
  safeNext,
  urlFor,
  type Guard,
  type Request,
  type Response,
} from 'flagon';

/** Session key for the page an anonymous visitor asked for, read back by the login handler. */
export const NEXT_PAGE_KEY = 'next';

/**
 * flaskr's `login_required` for pages: anonymous visitors are always sent to `/auth/login` (302),
 * whatever their Accept header. The page they wanted (a GET) is kept in the session rather than
 * in the URL, so the redirect stays exactly flaskr's and login still returns them there. The JSON
 * API uses Flagon's `@LoginRequired()` instead, which answers 401 to API clients.
 */
@Injectable()
export class RequireLogin implements Guard {
  async canActivate(req: Request): Promise<boolean | Response> {
    if ((await loadCurrentUser(req)) !== undefined) return true;
    const next = req.method === 'GET' ? safeNext(req.url, '') : '';
    if (next !== '') (await loadSession(req)).set(NEXT_PAGE_KEY, next);
    return redirect(urlFor('auth.AuthController.loginPage'));
  }
}
