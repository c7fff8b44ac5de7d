import { randomBytes, scryptSync } from 'node:crypto';
import { blogFixture, logIn, type Blog } from './support';

// Hashing does not depend on the database engine.
const createTestBlog = blogFixture('sqlite');

let blog: Blog;

beforeEach(async () => {
  blog = await createTestBlog();
});

afterEach(async () => {
  await blog.close();
});

async function storedHash(username: string): Promise<string> {
  const row = await blog.db
    .selectFrom('users')
    .select('password')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.password;
}

it('replaces an older scrypt hash with an argon2id one at login', async () => {
  const salt = randomBytes(16);
  const key = scryptSync('legacy-password', salt, 32, { N: 2 ** 10, r: 8, p: 1 });
  const legacy = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  await blog.db.insertInto('users').values({ username: 'veteran', password: legacy }).execute();

  expect((await logIn(blog.app.testClient(), 'veteran', 'legacy-password')).status).toBe(302);
  expect(await storedHash('veteran')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect((await logIn(blog.app.testClient(), 'veteran', 'legacy-password')).status).toBe(302);
});

it('leaves the hash alone after a failed login', async () => {
  const before = await storedHash('test');
  expect((await logIn(blog.app.testClient(), 'test', 'wrong')).status).toBe(422);
  expect(await storedHash('test')).toBe(before);
});
