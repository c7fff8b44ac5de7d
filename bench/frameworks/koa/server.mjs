import Router from '@koa/router';
import Koa from 'koa';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

const { register } = await import(`./${scenarioName()}.mjs`);
const app = new Koa();
const router = new Router();
register(router, app);
app.use(router.routes()).use(router.allowedMethods());
listenAndAnnounce((port, host, done) => {
  const server = app.listen(port, host, () => done(server.address().port));
});
