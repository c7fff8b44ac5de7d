import Fastify from 'fastify';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

const { register } = await import(`./${scenarioName()}.mjs`);
const app = Fastify({ logger: false });
register(app);
listenAndAnnounce((port, host, done) => {
  app.listen({ port, host }).then(() => done(app.server.address().port), (error) => {
    console.error(error);
    process.exit(1);
  });
});
