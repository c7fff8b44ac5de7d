import express from 'express';
import { listenAndAnnounce, scenarioName } from '../../lib/server-env.mjs';

const { register } = await import(`./${scenarioName()}.mjs`);
const app = express();
register(app);
listenAndAnnounce((port, host, done) => {
  const server = app.listen(port, host, () => done(server.address().port));
});
