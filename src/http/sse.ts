import { Response } from './response';

/** One server-sent event; `data` that is not a string is sent as JSON. */
export interface ServerSentEvent {
  readonly data: unknown;
  readonly event?: string;
  readonly id?: string;
  /** Reconnection delay the client should use, in milliseconds. */
  readonly retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

function field(name: string, value: string): string {
  // A field value cannot hold a line break: it would start a new field (event injection).
  if (LINE_BREAK.test(value)) throw new TypeError(`SSE ${name} cannot contain a line break`);
  return `${name}: ${value}\n`;
}

/**
 * Frames one event as `text/event-stream`: every line of the data gets its own `data:` field and a
 * blank line ends the event.
 *
 * @example
 * formatEvent({ event: 'tick', data: { n: 1 } }); // 'event: tick\ndata: {"n":1}\n\n'
 */
export function formatEvent(item: ServerSentEvent | string): string {
  const event: ServerSentEvent = typeof item === 'string' ? { data: item } : item;
  let frame = '';
  if (event.event !== undefined) frame += field('event', event.event);
  if (event.id !== undefined) frame += field('id', event.id);
  if (event.retry !== undefined) frame += field('retry', String(Math.trunc(event.retry)));
  // JSON.stringify returns undefined (typed string) for undefined, a function or a symbol.
  const data =
    typeof event.data === 'string'
      ? event.data
      : ((JSON.stringify(event.data) as string | undefined) ?? 'null');
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

async function* frames(source: AsyncIterable<ServerSentEvent | string>): AsyncGenerator<string> {
  // Leaving this loop early (client gone) calls the source's return(), so its `finally` runs.
  for await (const item of source) yield formatEvent(item);
}

/**
 * A `text/event-stream` response that writes each event as it comes: the source is pulled one event
 * at a time (backpressure) and stopped when the client disconnects. `currentRequest()` and `g()`
 * work inside the source. A source waiting for its next event stops once that event arrives.
 *
 * @example
 * @Get('/clock') clock() { return sse(ticks()); } // async function* ticks() { yield { event: 'tick', data: Date.now() }; }
 */
export function sse(source: AsyncIterable<ServerSentEvent | string>): Response {
  return new Response(frames(source), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // nginx buffers proxied responses unless told otherwise, which would hold events back.
      'x-accel-buffering': 'no',
    },
  });
}
