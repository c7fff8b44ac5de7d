import type { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * How long, and how much, a connection answered before its request body arrived keeps reading
 * (and discarding) before it is closed: nginx's lingering_close. Closing a socket with unread
 * data makes the kernel send a reset, and a client that is still uploading then loses the
 * response it has not read yet (a 413 arrives as ECONNRESET or EPIPE).
 */
export interface LingerLimits {
  /** Bytes read and thrown away after the response (nginx bounds only the time). */
  readonly maxBytes: number;
  /** Milliseconds from the response to the close, whatever the client still sends (lingering_time). */
  readonly maxMs: number;
}

export const LINGER_LIMITS: LingerLimits = { maxBytes: 16 * 1024 * 1024, maxMs: 10_000 };

/**
 * Whether a request declared a body that has not been read to its end. A request without one is
 * not `complete` either while its handler runs synchronously (node:http marks it just after), so
 * the headers decide.
 *
 * @example
 * if (hasUnreadBody(req)) lingerIfUnread(req, res);
 */
export function hasUnreadBody(raw: IncomingMessage): boolean {
  if (raw.complete) return false;
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Called once a response is written: when the request body has not been read to its end (a 413
 * from a length check, a 415, a guard's 401), discards the rest within `limits`. A connection
 * node:http keeps alive is reused once the body is drained; one it closes (the response says
 * `Connection: close`) is half-closed instead: the response and a FIN go out, the rest of the
 * upload is read and dropped until the client closes its side or a limit is reached.
 *
 * @example
 * if (hasUnreadBody(req)) lingerIfUnread(req, res);
 */
export function lingerIfUnread(
  raw: IncomingMessage,
  res: ServerResponse,
  limits: LingerLimits = LINGER_LIMITS,
): void {
  const socket = raw.socket;
  // A handler streaming the body into its own consumer is not an early answer; in-process
  // fakes (the test client) have no socket to linger on.
  if (!hasUnreadBody(raw) || !(socket instanceof Socket) || raw.listenerCount('data') > 0) return;
  let discarded = 0;
  let isClosing = false;
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) socket.destroy();
  };
  raw.on('data', onData);
  raw.resume();
  // node:http closes a `Connection: close` response's socket through destroySoon(), which ends
  // and then destroys it at once; ending alone keeps reading until the client's FIN (the server's
  // sockets allow half-open connections). Only this socket is changed, until it closes or the
  // body is drained.
  socket.destroySoon = (): void => {
    isClosing = true;
    socket.end();
  };
  const deadline = setTimeout(() => socket.destroy(), limits.maxMs);
  deadline.unref();
  const stop = (): void => {
    clearTimeout(deadline);
    raw.off('data', onData);
    socket.off('close', stop);
    // The prototype's destroySoon serves the connection's later responses again.
    Reflect.deleteProperty(socket, 'destroySoon');
  };
  // A kept-alive connection whose body is drained in time serves the next request as usual; a
  // closing one waits for the client's FIN or the deadline.
  const settle = (): void => {
    if (raw.complete && res.writableFinished && !isClosing) stop();
  };
  raw.once('end', settle);
  res.once('finish', settle);
  socket.once('close', stop);
  settle();
}

/** What node:http itself would answer for each parse error (its own responses close at once). */
function statusLineFor(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return '413 Payload Too Large';
    default:
      return '400 Bad Request';
  }
}

/** Sockets already answered: the parser reports the same error again for every later chunk. */
const answered = new WeakMap<Duplex, number>();

/**
 * The server's `clientError` handler: the 400, 413 or 431 node:http would send for a request it
 * cannot parse (a 100k-character URL, a malformed or oversized chunked body), but sent with a
 * half-close and a linger like `lingerIfUnread`, so a client still sending sees the answer
 * instead of a reset. Timeouts (408) and resets close at once: the client is not sending.
 *
 * @example
 * server.on('clientError', answerClientError);
 */
export function answerClientError(
  error: Error & { readonly code?: string },
  socket: Duplex,
  limits: LingerLimits = LINGER_LIMITS,
): void {
  const startedAt = answered.get(socket);
  const bytesRead = socket instanceof Socket ? socket.bytesRead : 0;
  if (startedAt !== undefined) {
    if (bytesRead - startedAt > limits.maxBytes) socket.destroy();
    return;
  }
  const inFlight = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  if (
    error.code === 'ECONNRESET' ||
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ||
    !socket.writable ||
    inFlight?.headersSent === true
  ) {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.writable && !inFlight?.headersSent)
      socket.write(
        'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
    socket.destroy();
    return;
  }
  answered.set(socket, bytesRead);
  socket.end(
    `HTTP/1.1 ${statusLineFor(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  const deadline = setTimeout(() => socket.destroy(), limits.maxMs);
  deadline.unref();
  socket.once('close', () => clearTimeout(deadline));
}
