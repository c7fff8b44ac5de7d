import { randomBytes, scryptSync } from 'node:crypto';
import { Database } from '../db/database';
import { createTestBlog, logIn, type Blog } from './support';

let blog: Blog;

beforeEach(async () => {
  blog = await createTestBlog();
});

afterEach(async () => {
  await blog.close();
});

function storedHash(username: string): string {
  const row = blog.app
    .resolve(Database)
    .connection.prepare('SELECT password FROM user WHERE username = ?')
    .get(username) as { password: string };
  return row.password;
}

it('replaces an older scrypt hash with an argon2id one at login', async () => {
  const salt = randomBytes(16);
  const key = scryptSync('legacy-password', salt, 32, { N: 2 ** 10, r: 8, p: 1 });
  const legacy = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  blog.app
    .resolve(Database)
    .connection.prepare('INSERT INTO user (username, password) VALUES (?, ?)')
    .run('veteran', legacy);

  expect((await logIn(blog.app.testClient(), 'veteran', 'legacy-password')).status).toBe(302);
  expect(storedHash('veteran')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect((await logIn(blog.app.testClient(), 'veteran', 'legacy-password')).status).toBe(302);
});

it('leaves the hash alone after a failed login', async () => {
  const before = storedHash('test');
  expect((await logIn(blog.app.testClient(), 'test', 'wrong')).status).toBe(200);
  expect(storedHash('test')).toBe(before);
});
