// What Flagon does on every request by default, written the cheapest idiomatic Fastify way, so the
// two can be compared for the same work: the five security headers Flagon sends (set from one
// onRequest hook) and a request context on AsyncLocalStorage (@fastify/request-context).
import fastifyRequestContext from '@fastify/request-context';

// Flagon's DEFAULT_SECURITY_HEADERS (src/security/headers.ts), value for value.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** Registers both on `app` (before the scenario's routes, so they apply to every one). */
export function registerFlagonDefaults(app) {
  app.register(fastifyRequestContext);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
}
