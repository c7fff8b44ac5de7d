import sjson from 'secure-json-parse';
import { FlagonError } from '../../errors/flagon-error';

/** The default for JSON_MAX_DEPTH. */
export const DEFAULT_JSON_MAX_DEPTH = 32;

/**
 * Throws a 400 when JSON text nests objects/arrays deeper than `maxDepth`. A linear scan that skips
 * strings, run before JSON.parse so a 100k-deep document never reaches recursive code (the
 * parser's reviver walk, class-transformer, class-validator).
 */
export function assertJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let isInString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isInString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) isInString = false;
    } else if (code === 0x22) {
      isInString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > maxDepth) {
        throw new FlagonError(
          'FLAGON_BODY_TOO_DEEP',
          `Request body nests deeper than JSON_MAX_DEPTH (${maxDepth})`,
          { details: { limit: 'JSON_MAX_DEPTH', maxDepth } },
        );
      }
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
}

/**
 * Parses JSON text, refusing `__proto__` and `constructor.prototype` keys (prototype pollution)
 * and documents nested deeper than `maxDepth`, each with a 400 that names the problem.
 */
export function parseJson(text: string, maxDepth = DEFAULT_JSON_MAX_DEPTH): unknown {
  assertJsonDepth(text, maxDepth);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = (error as Error).message;
    if (/forbidden prototype property/i.test(message)) {
      throw new FlagonError(
        'FLAGON_BODY_FORBIDDEN_KEY',
        'Request body contains a forbidden "__proto__" or "constructor.prototype" key',
        { cause: error },
      );
    }
    throw new FlagonError(
      'FLAGON_BODY_INVALID_JSON',
      `Request body is not valid JSON: ${message}`,
      { cause: error },
    );
  }
}
