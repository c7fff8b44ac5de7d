// The frameworks `npm run bench` measures (run.mjs), and the chart's labels (lib/ratio-chart.mjs).

/** Every framework: where its server is and which package's version to report. */
export const TARGETS = [
  {
    name: 'raw',
    title: 'node:http (hand-written router)',
    dir: 'raw',
    entry: 'bench/frameworks/raw/server.mjs',
    package: null,
  },
  // node:http doing Flagon's default per-request work too (its five security headers, a request
  // context on AsyncLocalStorage): what that work costs at the least; `raw` stays the upper limit.
  {
    name: 'raw-defaults',
    title: "node:http + Flagon's defaults",
    dir: 'raw',
    entry: 'bench/frameworks/raw/server.mjs',
    args: ['flagon-defaults'],
    package: null,
  },
  {
    name: 'flagon',
    title: 'Flagon (dist)',
    dir: 'flagon',
    entry: 'bench/dist/frameworks/flagon/server.js',
    package: null,
  },
  {
    name: 'fastify',
    title: 'Fastify',
    dir: 'fastify',
    entry: 'bench/frameworks/fastify/server.mjs',
    package: 'fastify',
  },
  // Fastify doing Flagon's default per-request work too (its five security headers, a request
  // context on AsyncLocalStorage): the same work, for comparison; `fastify` stays the baseline.
  {
    name: 'fastify-defaults',
    title: "Fastify + Flagon's defaults",
    dir: 'fastify',
    entry: 'bench/frameworks/fastify/server.mjs',
    args: ['flagon-defaults'],
    package: 'fastify',
  },
  // Express's session story is express-session / cookie-session, neither installed: no `session` row.
  {
    name: 'express',
    title: 'Express 5',
    dir: 'express',
    entry: 'bench/frameworks/express/server.mjs',
    package: 'express',
  },
  {
    name: 'koa',
    title: 'Koa + @koa/router',
    dir: 'koa',
    entry: 'bench/frameworks/koa/server.mjs',
    package: 'koa',
  },
  {
    name: 'hono',
    title: 'Hono (@hono/node-server)',
    dir: 'hono',
    entry: 'bench/frameworks/hono/server.mjs',
    package: 'hono',
  },
  // NestJS documents express-session for Express (not installed) and @fastify/secure-session for Fastify.
  {
    name: 'nest-express',
    title: 'NestJS (Express)',
    dir: 'nest',
    entry: 'bench/dist/frameworks/nest/server.js',
    args: ['express'],
    package: '@nestjs/core',
    skip: ['session'],
  },
  {
    name: 'nest-fastify',
    title: 'NestJS (Fastify)',
    dir: 'nest',
    entry: 'bench/dist/frameworks/nest/server.js',
    args: ['fastify'],
    package: '@nestjs/core',
  },
  {
    name: 'routing-controllers',
    title: 'routing-controllers (Express)',
    dir: 'routing-controllers',
    entry: 'bench/dist/frameworks/routing-controllers/server.js',
    package: 'routing-controllers',
  },
];
