import Fastify from 'fastify';
import { withFlagonDefaults } from '../../lib/flagon-defaults.mjs';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

const { register } = await import(`./${scenarioName()}.mjs`);
const app = Fastify({ logger: false });
// `flagon-defaults`: the same server doing what Flagon does by default (see flagon-defaults.mjs).
// Imported only then, so the plain server loads nothing more than before.
if (withFlagonDefaults) (await import('./flagon-defaults.mjs')).registerFlagonDefaults(app);
register(app);
listenAndAnnounce((port, host, done) => {
  app.listen({ port, host }).then(
    () => done(app.server.address().port),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
