// GET /session with Koa's own signed cookies (app.keys + ctx.cookies signed), holding JSON.
import { SESSION_SECRET } from '../../scenarios.mjs';

export function register(router, app) {
  app.keys = [SESSION_SECRET];
  router.get('/session', (ctx) => {
    let session = {};
    const raw = ctx.cookies.get('session', { signed: true });
    if (raw) {
      try {
        session = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        session = {};
      }
    }
    session.visits = (session.visits ?? 0) + 1;
    ctx.cookies.set('session', Buffer.from(JSON.stringify(session)).toString('base64url'), {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
    });
    ctx.body = { visits: session.visits };
  });
}
