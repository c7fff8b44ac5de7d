import { hashConcurrency, HashQueue } from '../../src/security/hash-queue';

/** A task the test finishes by hand, recording when it started. */
function deferredTask(started: number[], id: number) {
  let finish!: (value: number) => void;
  let fail!: (error: Error) => void;
  const task = (): Promise<number> => {
    started.push(id);
    return new Promise<number>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return {
    task,
    finish: (): void => finish(id),
    fail: (): void => fail(new Error(`task ${id} failed`)),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('HashQueue', () => {
  it('runs at most `limit` tasks at once, the others in arrival order', async () => {
    const queue = new HashQueue(2);
    const started: number[] = [];
    const tasks = [1, 2, 3, 4].map((id) => deferredTask(started, id));
    const results = tasks.map(({ task }) => queue.run(task));
    expect(started).toEqual([1, 2]);
    tasks[0]?.finish();
    await settle();
    expect(started).toEqual([1, 2, 3]);
    // A new task arriving while others wait queues behind them.
    const late = deferredTask(started, 5);
    const lateResult = queue.run(late.task);
    tasks[1]?.finish();
    tasks[2]?.finish();
    await settle();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    tasks[3]?.finish();
    late.finish();
    await expect(Promise.all([...results, lateResult])).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(queue.size).toBe(0);
  });

  it('frees the slot of a task that fails, or throws before returning a promise', async () => {
    const queue = new HashQueue(1);
    const started: number[] = [];
    const failing = deferredTask(started, 1);
    const first = queue.run(failing.task);
    const throwing = queue.run(() => {
      throw new Error('sync failure');
    });
    const next = deferredTask(started, 3);
    const third = queue.run(next.task);
    failing.fail();
    await expect(first).rejects.toThrow('task 1 failed');
    await expect(throwing).rejects.toThrow('sync failure');
    await settle();
    next.finish();
    await expect(third).resolves.toBe(3);
  });
});

describe('hashConcurrency', () => {
  it.each([
    [{}, 2],
    [{ UV_THREADPOOL_SIZE: '8' }, 4],
    [{ UV_THREADPOOL_SIZE: '1' }, 1],
    [{ UV_THREADPOOL_SIZE: 'lots' }, 2],
  ])('leaves half of the thread pool to files: %j → %i', (env, expected) => {
    expect(hashConcurrency(env)).toBe(expected);
  });
});
