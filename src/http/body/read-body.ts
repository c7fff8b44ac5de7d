import type { IncomingMessage } from 'node:http';
import { FlagonError } from '../../errors/flagon-error';

/**
 * Reads the whole body into memory, stopping at `limit` bytes. A declared Content-Length over the
 * limit fails before anything is read; a body that grows past it fails as soon as it does.
 * Either way the rest is drained (see `discardRest`).
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
 * Lets the rest of a refused body flow and be dropped, so the error response can be sent and
 * read; once it is, `lingerIfUnread` bounds how much more is read before the connection closes.
 */
export function discardRest(raw: IncomingMessage): void {
  if (!raw.complete) raw.resume();
}
