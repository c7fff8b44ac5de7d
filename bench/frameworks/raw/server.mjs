// node:http with a hand-written router: the upper limit every framework is compared with.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, ServerResponse } from 'node:http';
import { flagonSecurityHeaders, withFlagonDefaults } from '../../lib/flagon-defaults.mjs';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

// A scenario exports `routes(method, path, query)` → a JSON body (or undefined: 404), or, when it
// needs the request itself (a body, cookies) or sends something else, `handle(req, res, path)` → handled?
const { routes, handle } = await import(`./${scenarioName()}.mjs`);
const listener = (req, res) => {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  if (handle !== undefined) {
    if (!handle(req, res, path, query)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not_found"}');
    }
    return;
  }
  const body = routes(req.method, path, query);
  if (body === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
};

/**
 * `flagon-defaults`: the same server doing what Flagon does on every request by default, the
 * cheapest way node:http allows: the five security headers in each `writeHead` object (node
 * validates them once, there), and the listener inside `AsyncLocalStorage.run`.
 */
function withDefaults() {
  const securityHeaders = flagonSecurityHeaders();
  class SecureResponse extends ServerResponse {
    writeHead(status, headers) {
      return super.writeHead(status, { ...securityHeaders, ...headers });
    }
  }
  const context = new AsyncLocalStorage();
  return createServer({ ServerResponse: SecureResponse }, (req, res) =>
    context.run(req, listener, req, res),
  );
}

const server = withFlagonDefaults ? withDefaults() : createServer(listener);
listenAndAnnounce((port, host, done) =>
  server.listen(port, host, () => done(server.address().port)),
);
