import { IsInt } from 'class-validator';
import {
  Body,
  createApp,
  currentRequest,
  g,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  Route,
} from '../../src';

class MarkDto {
  @IsInt()
  n!: number;
}

/** Yields to the event loop a pseudo-random number of times, so requests interleave. */
async function shuffle(seed: number): Promise<void> {
  const turns = (seed * 7919) % 13;
  for (let i = 0; i < turns; i++) {
    if (i % 2 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    else await Promise.resolve();
  }
}

@Injectable()
class Auditor {
  async describe(): Promise<object> {
    const req = currentRequest();
    await shuffle(Number(req.params['n']) + 1);
    return { path: currentRequest().path, mark: g()['mark'], same: currentRequest() === req };
  }
}

@Route('/')
class ContextController {
  constructor(private readonly auditor: Auditor) {}
  @Get('/n/<int:n>')
  async show(@Param('n') n: number): Promise<object> {
    g()['mark'] = `mark-${n}`;
    await shuffle(n);
    const seen = await this.auditor.describe();
    await shuffle(n + 3);
    return { n, ...seen, markAfter: g()['mark'] };
  }

  // The body is read outside the context (for speed); the handler must still be inside it.
  @Post('/marks')
  async mark(@Body() body: MarkDto): Promise<object> {
    g()['mark'] = `mark-${body.n}`;
    await shuffle(body.n);
    return { n: body.n, path: currentRequest().path, mark: g()['mark'], id: currentRequest().id };
  }
}

@Module({ controllers: [ContextController] })
class ContextModule {}

describe('request context', () => {
  // JSON posts from the test client: CSRF is not what this tests.
  const client = createApp({
    modules: [ContextModule],
    config: { TESTING: true, CSRF_ENABLED: false },
  }).testClient();

  it('gives services the current request and its g()', async () => {
    expect((await client.get('/n/1')).json()).toEqual({
      n: 1,
      path: '/n/1',
      mark: 'mark-1',
      same: true,
      markAfter: 'mark-1',
    });
  });

  it('never leaks across 200 interleaved concurrent requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => client.get(`/n/${n}`).then((res) => res.json())),
    );
    results.forEach((body, n) => {
      expect(body).toEqual({
        n,
        path: `/n/${n}`,
        mark: `mark-${n}`,
        same: true,
        markAfter: `mark-${n}`,
      });
    });
  });

  it('keeps each request its own context across a body read, 100 concurrent posts', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        client
          .post('/marks', { json: { n } })
          .then((res) => ({ status: res.status, body: res.json<Record<string, unknown>>() })),
      ),
    );
    const ids = new Set<unknown>();
    results.forEach(({ status, body }, n) => {
      expect(status).toBe(200);
      expect(body).toMatchObject({ n, path: '/marks', mark: `mark-${n}` });
      ids.add(body['id']);
    });
    expect(ids.size).toBe(100);
  });

  it('currentRequest() and g() outside a request throw FLAGON_CONTEXT_OUTSIDE_REQUEST', () => {
    expect(() => currentRequest()).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONTEXT_OUTSIDE_REQUEST' }) as Error,
    );
    expect(() => g()).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONTEXT_OUTSIDE_REQUEST' }) as Error,
    );
  });
});
