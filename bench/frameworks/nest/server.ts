import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';

// One scenario per process (BENCH_SCENARIO); the adapter is the first argument: express | fastify.
const scenario = /^[a-z0-9-]+$/.exec(process.env['BENCH_SCENARIO'] ?? 'hello')?.[0] ?? 'hello';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the scenario is chosen at run time
const { ScenarioModule, configure } = require(`./${scenario}`) as {
  ScenarioModule: new () => object;
  configure?: (app: never) => Promise<void>;
};

async function main(): Promise<void> {
  const app =
    process.argv[2] === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(ScenarioModule, new FastifyAdapter(), {
          logger: false,
        })
      : await NestFactory.create<NestExpressApplication>(ScenarioModule, { logger: false });
  await configure?.(app as never);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as { address(): AddressInfo };
  console.log(`listening ${server.address().port}`);
}

void main();
