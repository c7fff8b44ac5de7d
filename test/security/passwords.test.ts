import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from '../../src/security/passwords';
import { passwordQueue } from '../../src/security/hash-queue';

/** Cheap parameters for tests; verifying them with the defaults is allowed (they are lower). */
const FAST = { memoryCost: 64, timeCost: 1 };

/** A hash in Flagon's format before argon2id: `scrypt$N$r$p$salt$hash`. */
function legacyScryptHash(password: string, N: number, r: number, p: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', FAST);
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', hash)).resolves.toBe(false);
  });

  it('stores argon2id, its parameters and a per-hash salt in the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$[\w+/]{22}\$[\w+/]{43}$/);
    expect(a).not.toBe(b);
  });

  it("uses OWASP's argon2id parameters by default (19 MiB, 2 passes, 1 lane)", async () => {
    const hash = await hashPassword('pw');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword('pw', hash)).resolves.toBe(true);
    expect(needsRehash(hash)).toBe(false);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const hash = await hashPassword('caf\u00e9', FAST);
    await expect(verifyPassword('cafe\u0301', hash)).resolves.toBe(true);
  });

  it('verifies a hash made with lower parameters and reports that it needs a rehash', async () => {
    const hash = await hashPassword('pw', FAST);
    await expect(verifyPassword('pw', hash)).resolves.toBe(true);
    expect(needsRehash(hash)).toBe(true);
    expect(needsRehash(hash, FAST)).toBe(false);
  });

  it.each([
    ['memoryCost', { memoryCost: 128, timeCost: 1 }, { memoryCost: 64, timeCost: 1 }],
    ['timeCost', { memoryCost: 64, timeCost: 2 }, { memoryCost: 64, timeCost: 1 }],
    [
      'parallelism',
      { memoryCost: 64, timeCost: 1, parallelism: 2 },
      { memoryCost: 64, timeCost: 1, parallelism: 1 },
    ],
  ])(
    'refuses the right password when the hash claims more %s than configured',
    async (_name, made, configured) => {
      const hash = await hashPassword('pw', made);
      await expect(verifyPassword('pw', hash, made)).resolves.toBe(true);
      await expect(verifyPassword('pw', hash, configured)).resolves.toBe(false);
    },
  );

  it('refuses a planted hash claiming 4 GiB without computing it', async () => {
    const real = await hashPassword('pw', FAST);
    const planted = real.replace('m=64,t=1', 'm=4194303,t=1000');
    await expect(verifyPassword('pw', planted)).resolves.toBe(false);
  });

  describe('hashes in the older scrypt format', () => {
    it('verify, and always need a rehash', async () => {
      const hash = legacyScryptHash('old password', 2 ** 10, 8, 1);
      await expect(verifyPassword('old password', hash)).resolves.toBe(true);
      await expect(verifyPassword('other password', hash)).resolves.toBe(false);
      expect(needsRehash(hash)).toBe(true);
    });

    it.each([
      ['r = 16', 2 ** 10, 16, 1],
      ['p = 2', 2 ** 10, 8, 2],
    ])('are refused above N = 2^17, r = 8, p = 1 (%s)', async (_name, N, r, p) => {
      const hash = legacyScryptHash('pw', N, r, p);
      await expect(verifyPassword('pw', hash)).resolves.toBe(false);
    });

    it('are refused when they claim N = 2^20 (1 GiB)', async () => {
      const hash = legacyScryptHash('pw', 2 ** 10, 8, 1).replace('scrypt$1024$', 'scrypt$1048576$');
      await expect(verifyPassword('pw', hash)).resolves.toBe(false);
    });
  });

  it.each([
    '',
    'plain',
    'scrypt$1024$8$1$salt',
    'bcrypt$1$2$3$4$5',
    'scrypt$0$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=64,t=1,p=1$AAAA$AAAA',
    '$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ])('returns false for the malformed hash %j', async (hash) => {
    await expect(verifyPassword('pw', hash)).resolves.toBe(false);
    expect(needsRehash(hash)).toBe(true);
  });

  it.each([{ timeCost: 0 }, { memoryCost: 4 }, { parallelism: 256 }, { memoryCost: 1.5 }])(
    'refuses the options %j with FLAGON_CONFIG_INVALID',
    async (options) => {
      await expect(hashPassword('pw', options)).rejects.toMatchObject({
        code: 'FLAGON_CONFIG_INVALID',
      });
      await expect(verifyPassword('pw', 'x', options)).rejects.toMatchObject({
        code: 'FLAGON_CONFIG_INVALID',
      });
    },
  );

  it("waits for a turn in the password queue, leaving the rest of libuv's pool free", async () => {
    const pending = Array.from({ length: 6 }, () => hashPassword('pw', FAST));
    expect(passwordQueue.size).toBe(6);
    await Promise.all(pending);
    expect(passwordQueue.size).toBe(0);
  });
});
