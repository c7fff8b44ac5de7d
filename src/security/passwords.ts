import { scrypt, timingSafeEqual } from 'node:crypto';
import { Algorithm, Version } from '@node-rs/argon2';
import type * as Argon2 from '@node-rs/argon2';
import { FlagonError } from '../errors/flagon-error';
import { lazyRequire } from '../util/lazy-require';
import { passwordQueue } from './hash-queue';

// Loaded by the first hash: apps without passwords never load the native module.
const loadArgon2 = lazyRequire<typeof Argon2>('@node-rs/argon2', 'Password hashing');

/**
 * argon2id cost parameters. They are stored in every hash, so they can be raised later: old
 * hashes still verify and `needsRehash` reports them. `verifyPassword` refuses a hash that claims
 * more than these (a planted hash must not cost the server more than a real one).
 */
export interface PasswordHashOptions {
  /** Memory in KiB. Default 19456 (19 MiB): OWASP's first argon2id configuration. */
  readonly memoryCost?: number;
  /** Passes over the memory. Default 2. */
  readonly timeCost?: number;
  /** Lanes. Default 1. */
  readonly parallelism?: number;
}

type Argon2Parameters = Required<PasswordHashOptions>;

const DEFAULTS: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// Const enums: the compiler inlines their values and drops this import, so the module stays lazy.
const ARGON2ID = Algorithm.Argon2id;
const VERSION_19 = Version.V0x13;

/**
 * The most a legacy `scrypt$N$r$p$…` hash (Flagon's format before argon2id) may ask for: OWASP's
 * scrypt minimum, 128 MiB of memory. Those hashes verify but always need a rehash.
 */
const LEGACY_SCRYPT_LIMITS = { N: 2 ** 17, r: 8, p: 1 } as const;

function parametersOf(options: PasswordHashOptions): Argon2Parameters {
  const parameters = { ...DEFAULTS, ...options };
  const { memoryCost, timeCost, parallelism } = parameters;
  if (
    !Number.isSafeInteger(timeCost) ||
    timeCost < 1 ||
    !Number.isSafeInteger(parallelism) ||
    parallelism < 1 ||
    parallelism > 255 ||
    !Number.isSafeInteger(memoryCost) ||
    memoryCost < 8 * parallelism ||
    memoryCost > 2 ** 32 - 1
  ) {
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      `Invalid password hash options ${JSON.stringify(options)}: timeCost ≥ 1, parallelism 1–255, memoryCost ≥ 8 × parallelism (KiB)`,
    );
  }
  return parameters;
}

/**
 * Hashes a password with argon2id and a random 16-byte salt, in the PHC string format
 * (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). At most half of libuv's thread pool hashes at
 * once, so a burst of logins cannot hold up file reads.
 *
 * @example
 * const hash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(
  password: string,
  options: PasswordHashOptions = {},
): Promise<string> {
  const { memoryCost, timeCost, parallelism } = parametersOf(options);
  return passwordQueue.run(() =>
    loadArgon2().hash(password.normalize('NFC'), {
      algorithm: ARGON2ID,
      version: VERSION_19,
      memoryCost,
      timeCost,
      parallelism,
    }),
  );
}

/** The argon2id parameters a hash was made with; `undefined` for anything else or malformed. */
function argon2Parameters(hash: string): Argon2Parameters | undefined {
  if (!hash.startsWith('$argon2id$')) return undefined;
  try {
    const parsed = loadArgon2().parseOptions(hash);
    if (parsed.version !== VERSION_19 || parsed.saltLen < 8 || parsed.outputLen < 16)
      return undefined;
    return {
      memoryCost: parsed.memoryCost,
      timeCost: parsed.timeCost,
      parallelism: parsed.parallelism,
    };
  } catch {
    return undefined;
  }
}

/**
 * Checks a password against a hash from `hashPassword` (or Flagon's older scrypt format), in
 * constant time. `false` for a wrong password, a malformed hash, or a hash whose parameters exceed
 * `options` (the defaults unless given), so a hash claiming a huge cost is never computed.
 *
 * @example
 * if (!(await verifyPassword(form.password, user.passwordHash))) return 'Incorrect password.';
 */
export async function verifyPassword(
  password: string,
  hash: string,
  options: PasswordHashOptions = {},
): Promise<boolean> {
  const allowed = parametersOf(options);
  if (hash.startsWith('scrypt$')) return verifyLegacyScrypt(password, hash);
  const stored = argon2Parameters(hash);
  if (
    stored === undefined ||
    stored.memoryCost > allowed.memoryCost ||
    stored.timeCost > allowed.timeCost ||
    stored.parallelism > allowed.parallelism
  )
    return false;
  try {
    return await passwordQueue.run(() => loadArgon2().verify(hash, password.normalize('NFC')));
  } catch {
    return false;
  }
}

/**
 * Whether a hash that just verified should be replaced by a fresh `hashPassword` (call it at
 * login, when the password is at hand): true for the older scrypt format and for argon2id
 * parameters other than `options` (the defaults unless given).
 *
 * @example
 * if (await verifyPassword(password, user.hash) && needsRehash(user.hash))
 *   await users.setPassword(user.id, await hashPassword(password));
 */
export function needsRehash(hash: string, options: PasswordHashOptions = {}): boolean {
  const wanted = parametersOf(options);
  const stored = argon2Parameters(hash);
  return (
    stored === undefined ||
    stored.memoryCost !== wanted.memoryCost ||
    stored.timeCost !== wanted.timeCost ||
    stored.parallelism !== wanted.parallelism
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url), as Flagon wrote them before argon2id. */
async function verifyLegacyScrypt(password: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 6) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (
    ![N, r, p].every((value) => Number.isSafeInteger(value) && value > 0) ||
    N > LEGACY_SCRYPT_LIMITS.N ||
    r > LEGACY_SCRYPT_LIMITS.r ||
    p > LEGACY_SCRYPT_LIMITS.p
  )
    return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  try {
    const actual = await passwordQueue.run(() =>
      deriveScrypt(password, salt, { N, r, p }, expected.length),
    );
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

function deriveScrypt(
  password: string,
  salt: Buffer,
  cost: { readonly N: number; readonly r: number; readonly p: number },
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...cost, maxmem: 128 * cost.N * cost.r + 32 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}
