// The scenarios every framework implements: one file per framework under
// bench/frameworks/<framework>/<scenario>.{mjs,ts}, exporting that framework's routes for it. Adding a
// scenario = one entry here plus one file per framework; run.mjs skips frameworks without the file.
//
// Each server process mounts exactly ONE scenario, so the 2000-route table never slows the others
// (Express and Koa match routes linearly) and startup is measured per scenario.

/** Static and parametric routes each in the `routes` scenario (so 2000 in all). */
export const ROUTE_COUNT = 1000;

/** The secret every session scenario signs its cookie with (32 bytes: @fastify/secure-session's key size). */
export const SESSION_SECRET = 'bench-session-secret-0123456789abcdef';

/** The 20 items of the `page` scenario: each needs HTML escaping (<, >, &, quotes). */
export const PAGE_ITEMS = Array.from(
  { length: 20 },
  (_, i) => `Item ${i} <b class="x">Tom & Jerry's</b>`,
);

const VALID_USER = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 };
const INVALID_USER = { name: '', email: 'not-an-email', age: 200.5 };

export const SCENARIOS = [
  {
    name: 'hello',
    title: 'GET /hello → {"hello":"world"}',
    request: { method: 'GET', path: '/hello' },
    expected: { status: 200, json: { hello: 'world' } },
  },
  {
    name: 'users',
    title: 'GET /users/<id>?fields=x → JSON echo',
    request: { method: 'GET', path: '/users/42?fields=x' },
    expected: { status: 200, json: { id: '42', fields: 'x' } },
  },
  {
    name: 'routes',
    title: `GET /r/p999/42 among ${ROUTE_COUNT} static + ${ROUTE_COUNT} parametric routes`,
    request: { method: 'GET', path: `/r/p${ROUTE_COUNT - 1}/42` },
    expected: { status: 200, json: { route: `p${ROUTE_COUNT - 1}`, id: '42' } },
  },
  {
    // Valid and invalid POSTs are served by the same file (`module`), measured separately.
    name: 'create',
    module: 'create-user',
    title: 'POST /users valid JSON DTO → 201 echo',
    request: {
      method: 'POST',
      path: '/users',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(VALID_USER),
    },
    expected: { status: 201, json: VALID_USER },
  },
  {
    name: 'invalid',
    module: 'create-user',
    title: 'POST /users invalid JSON DTO → 400',
    request: {
      method: 'POST',
      path: '/users',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(INVALID_USER),
    },
    // Each framework words its 400 its own way: only the status is compared.
    expected: { status: 400 },
  },
  {
    name: 'page',
    title: 'GET /page/<name> → Handlebars layout + 20 escaped items',
    request: { method: 'GET', path: '/page/bench' },
    expected: {
      status: 200,
      contains: [
        '<h1>Hello bench</h1>',
        'Item 19 &lt;b class&#x3D;&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt;',
      ],
    },
  },
  {
    // The load uses the cookie of a first request, so every measured request reads a signed
    // session (visits: 1) and writes a new one (visits: 2).
    name: 'session',
    title: 'GET /session → signed cookie session read + write',
    request: { method: 'GET', path: '/session' },
    session: true,
    expected: { status: 200, json: { visits: 2 }, setsCookie: true },
  },
];
