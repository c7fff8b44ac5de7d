import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of a CSRF secret, and of each token's one-time pad. */
export const SECRET_BYTES = 32;

/** A fresh random CSRF secret. */
export function newCsrfSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/**
 * The secret XORed with a fresh random pad, the pad in front (Django's and Rails' masking): every
 * page carries different bytes, so compression never sees the secret repeat (BREACH).
 *
 * @example
 * const masked = maskSecret(secret); // a new value on every call
 */
export function maskSecret(secret: Buffer): string {
  const pad = randomBytes(SECRET_BYTES);
  const masked = Buffer.alloc(SECRET_BYTES * 2);
  pad.copy(masked);
  for (let index = 0; index < SECRET_BYTES; index++)
    masked[SECRET_BYTES + index] = (pad[index] as number) ^ (secret[index] as number);
  return masked.toString('base64url');
}

/** The secret a masked value carries, or `undefined` when it is not one. */
export function unmaskSecret(masked: string): Buffer | undefined {
  const bytes = Buffer.from(masked, 'base64url');
  if (bytes.length !== SECRET_BYTES * 2 || bytes.toString('base64url') !== masked) return undefined;
  const secret = Buffer.alloc(SECRET_BYTES);
  for (let index = 0; index < SECRET_BYTES; index++)
    secret[index] = (bytes[index] as number) ^ (bytes[SECRET_BYTES + index] as number);
  return secret;
}

/** Constant-time comparison of two secrets. */
export function isSameSecret(left: Buffer, right: Buffer): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}
