// autocannon ships no types; this declares the part of its programmatic API the tests use.
declare module 'autocannon' {
  /** Header names as the server sent them (case kept). */
  type ResponseHeaders = Record<string, string | string[]>;

  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    onResponse?: (
      status: number,
      body: string,
      context: Record<string, unknown>,
      headers: ResponseHeaders,
    ) => void;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
  }

  interface AutocannonResult {
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    requests: { total: number; average: number };
    latency: { p50: number; p99: number };
  }

  /** The running load, when started with a callback: emits `reqError` for each failed request. */
  interface AutocannonInstance {
    on(event: 'reqError', listener: (error: Error) => void): this;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  function autocannon(
    options: AutocannonOptions,
    done: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;
  namespace autocannon {
    export type Options = AutocannonOptions;
    export type Result = AutocannonResult;
  }
  // A CommonJS module whose export is the function (imported as a default thanks to esModuleInterop).
  export = autocannon;
}
