import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExpressServer } from 'routing-controllers';

// One scenario per process (BENCH_SCENARIO), required by name so the others are never loaded.
const scenario = /^[a-z0-9-]+$/.exec(process.env['BENCH_SCENARIO'] ?? 'hello')?.[0] ?? 'hello';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the scenario is chosen at run time
const { controllers } = require(`./${scenario}`) as { controllers: (new () => object)[] };

const app = createExpressServer({ controllers }) as {
  listen(port: number, host: string, callback: () => void): Server;
};
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
