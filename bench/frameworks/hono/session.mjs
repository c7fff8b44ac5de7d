// GET /session with hono/cookie's signed cookies (HMAC-SHA256 via WebCrypto), holding JSON.
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { SESSION_SECRET } from '../../scenarios.mjs';

export function register(app) {
  app.get('/session', async (c) => {
    let session = {};
    const raw = await getSignedCookie(c, SESSION_SECRET, 'session');
    if (raw) {
      try {
        session = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        session = {};
      }
    }
    session.visits = (session.visits ?? 0) + 1;
    await setSignedCookie(
      c,
      'session',
      Buffer.from(JSON.stringify(session)).toString('base64url'),
      SESSION_SECRET,
      { path: '/', httpOnly: true, sameSite: 'Lax' },
    );
    return c.json({ visits: session.visits });
  });
}
