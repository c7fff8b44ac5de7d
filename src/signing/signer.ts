import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey, type SecretKeys } from './secrets';

/** Why a signed value was refused. */
export type UnsignFailure = 'invalid' | 'expired';

export type UnsignResult =
  | { readonly ok: true; readonly value: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: UnsignFailure };

const SEPARATOR = '.';

/**
 * Timestamped HMAC-SHA256 signatures (itsdangerous' TimestampSigner): `value.time.signature`.
 * New values use the current key; any key verifies, so rotating SECRET_KEY keeps sessions alive.
 *
 * @example
 * const signer = new Signer(keys, 'session');
 * const token = signer.sign('abc');
 * signer.unsign(token, 3600); // { ok: true, value: 'abc', timestamp }
 */
export class Signer {
  private readonly keys: readonly Buffer[];

  constructor(secrets: SecretKeys, salt: string) {
    this.keys = secrets.all.map((secret) => deriveKey(secret, salt));
  }

  /** Signs a value that contains no `.`; `now` is in seconds. */
  sign(value: string, now = Math.floor(Date.now() / 1000)): string {
    const signed = `${value}${SEPARATOR}${now.toString(36)}`;
    return `${signed}${SEPARATOR}${this.mac(this.keys[0] as Buffer, signed)}`;
  }

  /** Checks the signature with every key, then the age (`maxAgeSeconds`). Never throws. */
  unsign(token: string, maxAgeSeconds: number, now = Math.floor(Date.now() / 1000)): UnsignResult {
    const sigAt = token.lastIndexOf(SEPARATOR);
    if (sigAt <= 0) return { ok: false, reason: 'invalid' };
    const signed = token.slice(0, sigAt);
    const given = Buffer.from(token.slice(sigAt + 1), 'base64url');
    if (given.length !== 32) return { ok: false, reason: 'invalid' };
    // Compare against every key without stopping early, so timing does not reveal which matched.
    let isValid = false;
    for (const key of this.keys) {
      if (timingSafeEqual(this.macBytes(key, signed), given)) isValid = true;
    }
    // base64url decoding ignores stray characters, so insist on the canonical form too.
    if (!isValid || given.toString('base64url') !== token.slice(sigAt + 1))
      return { ok: false, reason: 'invalid' };
    const timeAt = signed.lastIndexOf(SEPARATOR);
    if (timeAt < 0) return { ok: false, reason: 'invalid' };
    const timestamp = parseInt(signed.slice(timeAt + 1), 36);
    if (!Number.isSafeInteger(timestamp)) return { ok: false, reason: 'invalid' };
    // A little clock skew between instances is tolerated; a time far in the future is not.
    if (timestamp > now + 60) return { ok: false, reason: 'invalid' };
    if (now - timestamp > maxAgeSeconds) return { ok: false, reason: 'expired' };
    return { ok: true, value: signed.slice(0, timeAt), timestamp };
  }

  private mac(key: Buffer, data: string): string {
    return this.macBytes(key, data).toString('base64url');
  }

  private macBytes(key: Buffer, data: string): Buffer {
    return createHmac('sha256', key).update(data).digest();
  }
}
