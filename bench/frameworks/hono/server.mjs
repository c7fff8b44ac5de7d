import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

const { register } = await import(`./${scenarioName()}.mjs`);
const app = new Hono();
register(app);
listenAndAnnounce((port, hostname, done) => {
  serve({ fetch: app.fetch, port, hostname }, (info) => done(info.port));
});
