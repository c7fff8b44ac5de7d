// Fastify doing what Flagon does on every request by default, the cheapest idiomatic way: the five
// security headers from one onRequest hook, and a request context on AsyncLocalStorage with
// @fastify/request-context. (@fastify/helmet would add an async hook per request.)
import fastifyRequestContext from '@fastify/request-context';
import { flagonSecurityHeaders } from '../../lib/flagon-defaults.mjs';

/** Registers both on `app` (before the scenario's routes, so they apply to every one). */
export function registerFlagonDefaults(app) {
  const headers = flagonSecurityHeaders();
  app.register(fastifyRequestContext);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
