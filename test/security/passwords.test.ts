import { hashPassword, verifyPassword } from '../../src/security/passwords';

const FAST = { cost: 2 ** 10 };

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', FAST);
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', hash)).resolves.toBe(false);
  });

  it('stores the algorithm, parameters and a per-hash salt in the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies hashes made with other parameters (they are read from the hash)', async () => {
    const hash = await hashPassword('pw', { cost: 2 ** 11, blockSize: 4 });
    await expect(verifyPassword('pw', hash)).resolves.toBe(true);
  });

  it('uses the default cost when none is given', async () => {
    expect(await hashPassword('pw')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it.each([
    '',
    'plain',
    'scrypt$1024$8$1$salt',
    'bcrypt$1$2$3$4$5',
    'scrypt$0$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ])('returns false for the malformed hash %j', async (hash) => {
    await expect(verifyPassword('pw', hash)).resolves.toBe(false);
  });
});
