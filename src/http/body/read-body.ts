import type { IncomingMessage, ServerResponse } from 'node:http';
import { FlagonError } from '../../errors/flagon-error';

/** How much of an oversized body is read and thrown away so the 413 reaches the client before the close. */
const DISCARD_LIMIT = 256 * 1024;

/**
 * Reads the whole body into memory, stopping at `limit` bytes. A declared Content-Length over the
 * limit fails before anything is read; a body that grows past it fails as soon as it does.
 * Either way the rest is drained up to a bound, then the connection is closed.
 */
export function readBody(
  raw: IncomingMessage,
  limit: number,
  limitName = 'MAX_CONTENT_LENGTH',
): Promise<Buffer> {
  const declared = raw.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    discardRest(raw);
    return Promise.reject(tooLarge(limit, limitName));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        discardRest(raw);
        reject(tooLarge(limit, limitName));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(
        new FlagonError(
          'FLAGON_BODY_ABORTED',
          `Reading the request body failed: ${error.message}`,
          { cause: error },
        ),
      );
    };
    const onAborted = (): void => onError(new Error('client aborted'));
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
    raw.on('aborted', onAborted);
  });
}

/** The 413 for a breached byte limit, naming the limit (config key or decorator option). */
export function tooLarge(
  limit: number,
  limitName = 'MAX_CONTENT_LENGTH',
  what = 'Request body',
): FlagonError {
  return new FlagonError('FLAGON_BODY_TOO_LARGE', `${what} exceeds ${limitName} (${limit} bytes)`, {
    details: { limit: limitName, maxBytes: limit },
  });
}

/**
 * Drains what is left of the body up to DISCARD_LIMIT, then stops reading and closes the
 * connection once the error response has been written: closing earlier would reset a client that
 * is still sending before it has read the 413.
 */
export function discardRest(raw: IncomingMessage): void {
  if (raw.complete) return;
  let discarded = 0;
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded <= DISCARD_LIMIT) return;
    raw.off('data', onData);
    raw.pause();
    closeAfterResponse(raw);
  };
  raw.on('data', onData);
  raw.resume();
}

function closeAfterResponse(raw: IncomingMessage): void {
  const socket = raw.socket as
    (IncomingMessage['socket'] & { _httpMessage?: ServerResponse }) | null;
  // In-process fakes (the test client) have no real socket: destroying the message ends them.
  if (!socket || typeof socket.destroy !== 'function') {
    raw.destroy();
    return;
  }
  // node:http keeps the response being written on the socket; there is no public link from req to res.
  const response = socket._httpMessage;
  if (response && !response.writableFinished) response.once('finish', () => socket.destroy());
  else socket.destroy();
}
