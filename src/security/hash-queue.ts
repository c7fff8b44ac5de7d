/**
 * Runs at most `limit` tasks at once and the rest in arrival order. Password hashes run on
 * libuv's thread pool, which file reads, DNS lookups and zlib share: without a bound, a burst of
 * logins fills every thread and a static file waits behind all of them. Written here rather than
 * taken from p-limit, which is ESM-only while Flagon's build is CommonJS.
 *
 * @example
 * const queue = new HashQueue(2);
 * const key = await queue.run(() => derive(password));
 */
export class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  run<TResult>(task: () => Promise<TResult>): Promise<TResult> {
    if (this.running < this.limit) {
      this.running++;
      return this.execute(task);
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() =>
      this.execute(task),
    );
  }

  /** Tasks running now plus tasks waiting for a turn. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  private execute<TResult>(task: () => Promise<TResult>): Promise<TResult> {
    let result: Promise<TResult>;
    try {
      result = task();
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return result.finally(() => this.release());
  }

  /** A finished task hands its slot straight to the next waiting one, so the count never overshoots. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** libuv's pool size: UV_THREADPOOL_SIZE when set (read by libuv at its first use), else 4. */
function threadPoolSize(env: NodeJS.ProcessEnv): number {
  const size = Number(env['UV_THREADPOOL_SIZE']);
  return Number.isSafeInteger(size) && size > 0 ? Math.min(size, 1024) : 4;
}

/**
 * Half the pool (at least one thread) hashes passwords; the rest stays free for files. Raise
 * UV_THREADPOOL_SIZE to let more logins hash at once.
 *
 * @example
 * hashConcurrency({ UV_THREADPOOL_SIZE: '8' }); // 4
 */
export function hashConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.floor(threadPoolSize(env) / 2));
}

/** The process-wide queue every password hash and verification goes through. */
export const passwordQueue = new HashQueue(hashConcurrency());
