import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { buildInvoker, type Continuation } from '../../src/app/invoker';
import { Request } from '../../src/http/request';

const raw = new IncomingMessage(new Socket());
const req = new Request(raw, 'test-1', {
  buildUrl: () => '/',
  trustProxy: false,
  maxContentLength: 1024,
});
const res = new ServerResponse(raw);

/** Runs an invoker and records what reached `done` or `failed`, and whether it did so within the call. */
function invokeAndRecord(invoke: ReturnType<typeof buildInvoker>): {
  settled: Promise<{ outcome: 'done' | 'failed'; value: unknown }>;
  isSynchronous: () => boolean;
} {
  let isSettled = false;
  let resolveOutcome: (outcome: { outcome: 'done' | 'failed'; value: unknown }) => void = () =>
    undefined;
  const settled = new Promise<{ outcome: 'done' | 'failed'; value: unknown }>(
    (resolve) => (resolveOutcome = resolve),
  );
  const done: Continuation = (_req, _res, value) => {
    isSettled = true;
    resolveOutcome({ outcome: 'done', value });
  };
  const failed: Continuation = (_req, _res, value) => {
    isSettled = true;
    resolveOutcome({ outcome: 'failed', value });
  };
  invoke(req, res, done, failed);
  const isSynchronous = isSettled;
  return { settled, isSynchronous: () => isSynchronous };
}

const instance = { greeting: 'hello' };

describe('buildInvoker', () => {
  it('passes a synchronous handler result on within the call', async () => {
    const invoke = buildInvoker(
      function (this: typeof instance, name: unknown) {
        return `${this.greeting} ${String(name)}`;
      },
      [() => 'Ada'],
      () => instance,
      false,
    );
    const run = invokeAndRecord(invoke);
    expect(run.isSynchronous()).toBe(true);
    await expect(run.settled).resolves.toEqual({ outcome: 'done', value: 'hello Ada' });
  });

  it('calls the handler with a pending argument once it resolves', async () => {
    const handler = jest.fn((dto: unknown) => ({ saved: dto }));
    const run = invokeAndRecord(
      buildInvoker(handler, [() => Promise.resolve({ name: 'Ada' })], () => instance, true),
    );
    expect(run.isSynchronous()).toBe(false);
    await expect(run.settled).resolves.toEqual({
      outcome: 'done',
      value: { saved: { name: 'Ada' } },
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('fails without calling the handler when the argument rejects (a 400 from validation)', async () => {
    const handler = jest.fn();
    const invalid = new Error('name must be a string');
    const run = invokeAndRecord(
      buildInvoker(handler, [() => Promise.reject(invalid)], () => instance, true),
    );
    await expect(run.settled).resolves.toEqual({ outcome: 'failed', value: invalid });
    expect(handler).not.toHaveBeenCalled();
  });

  it('fails with what the handler throws, or what its promise rejects with', async () => {
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const throwing = invokeAndRecord(
      buildInvoker(
        () => {
          throw thrown;
        },
        [() => Promise.resolve(1)],
        () => instance,
        true,
      ),
    );
    await expect(throwing.settled).resolves.toEqual({ outcome: 'failed', value: thrown });
    const rejecting = invokeAndRecord(
      buildInvoker(
        () => Promise.reject(rejected),
        [],
        () => instance,
        false,
      ),
    );
    await expect(rejecting.settled).resolves.toEqual({ outcome: 'failed', value: rejected });
  });

  it('resolves several arguments, pending or not, before the call', async () => {
    const run = invokeAndRecord(
      buildInvoker(
        (a: unknown, b: unknown) => [a, b],
        [() => Promise.resolve('a'), () => 'b'],
        () => instance,
        true,
      ),
    );
    await expect(run.settled).resolves.toEqual({ outcome: 'done', value: ['a', 'b'] });
  });
});
