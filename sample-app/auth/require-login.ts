import {
  Injectable,
  loadCurrentUser,
  redirect,
  safeNext,
  type Guard,
  type Request,
  type Response,
} from '../../src';

/**
 * flaskr's `login_required` for pages: anonymous visitors are always sent to the login page (302),
 * whatever their Accept header, with the page they wanted as a same-site `next`. The JSON API uses
 * Flagon's `@LoginRequired()` instead, which answers 401 to API clients.
 */
@Injectable()
export class RequireLogin implements Guard {
  async canActivate(req: Request): Promise<boolean | Response> {
    if ((await loadCurrentUser(req)) !== undefined) return true;
    const next = req.method === 'GET' ? safeNext(req.url, '') : '';
    return redirect(next === '' ? '/auth/login' : `/auth/login?next=${encodeURIComponent(next)}`);
  }
}
