// GET /session with @fastify/secure-session (an encrypted, authenticated cookie).
import fastifySecureSession from '@fastify/secure-session';
import { SESSION_SECRET } from '../../scenarios.mjs';

export function register(app) {
  app.register(fastifySecureSession, {
    secret: SESSION_SECRET,
    salt: 'bench-salt-16byt',
    cookieName: 'session',
    cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
  });
  app.get('/session', async (request) => {
    const visits = (request.session.get('visits') ?? 0) + 1;
    request.session.set('visits', visits);
    return { visits };
  });
}
