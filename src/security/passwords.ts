import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters; stored in every hash so they can be raised without breaking old hashes. */
export interface PasswordHashOptions {
  /** CPU/memory cost, a power of two. Default 2^15 (OWASP's minimum for scrypt). */
  readonly cost?: number;
  readonly blockSize?: number;
  readonly parallelization?: number;
}

const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

function derive(
  password: string,
  salt: Buffer,
  options: ScryptOptions,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...options, maxmem: 256 * (options.N ?? 1) * (options.r ?? 8) + 32 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * Hashes a password with scrypt and a random 16-byte salt: `scrypt$N$r$p$salt$hash` (base64url).
 *
 * @example
 * const hash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(
  password: string,
  options: PasswordHashOptions = {},
): Promise<string> {
  const N = options.cost ?? 2 ** 15;
  const r = options.blockSize ?? 8;
  const p = options.parallelization ?? 1;
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r, p }, KEY_LENGTH);
  return [PREFIX, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a hash from `hashPassword`, in constant time; `false` for a
 * malformed hash rather than an error.
 *
 * @example
 * if (!(await verifyPassword(form.password, user.passwordHash))) return 'Incorrect password.';
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (
    ![N, r, p].every((value) => Number.isSafeInteger(value) && value > 0) ||
    N > 2 ** 20 ||
    r > 32 ||
    p > 16
  )
    return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  try {
    const actual = await derive(password, salt, { N, r, p }, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
