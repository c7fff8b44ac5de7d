import { FlagonError } from '../../errors/flagon-error';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a body as UTF-8; invalid bytes are a 400, never a crash or replacement characters.
 *
 * @example
 * decodeUtf8(Buffer.from('héllo')); // 'héllo'
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new FlagonError('FLAGON_BODY_INVALID_UTF8', 'Request body is not valid UTF-8', {
      cause: error,
    });
  }
}
