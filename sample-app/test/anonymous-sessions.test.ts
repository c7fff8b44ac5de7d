import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisStore } from 'flagon';
import { blogFixture, HTML, logIn, postForm, type Blog } from './support';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('anonymous visitors with the Redis session store', () => {
  const createTestBlog = blogFixture('sqlite');
  const prefix = `flaskr-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  let store: RedisStore;
  let blog: Blog;

  const sessionKeys = (): Promise<string[]> => admin.keys(`${prefix}*`);

  beforeEach(async () => {
    store = new RedisStore({ url: REDIS_URL, prefix });
    blog = await createTestBlog({ SESSION_STORE: store });
  });

  afterEach(async () => {
    await blog.close();
    const keys = await sessionKeys();
    if (keys.length > 0) await admin.del(...keys);
    await store.close();
  });

  afterAll(() => {
    admin.disconnect();
  });

  it('writes no session for page views with forms, then one at login', async () => {
    const client = blog.app.testClient();
    for (let view = 0; view < 10; view++) {
      for (const path of ['/', '/auth/login', '/auth/register'])
        expect((await client.get(path, { headers: HTML })).status).toBe(200);
    }
    expect(client.csrfToken).toBeDefined();
    expect(await sessionKeys()).toEqual([]);

    const wrong = await postForm(client, '/auth/login', { username: 'test', password: 'nope' });
    expect(wrong.text).toContain('Incorrect password.');
    expect(await sessionKeys()).toEqual([]);

    expect((await logIn(client)).status).toBe(302);
    expect(await sessionKeys()).toHaveLength(1);
    expect((await client.get('/', { headers: HTML })).text).toContain('Log Out');
  });

  it('accepts anonymous forms (register, login) with the cookie-held CSRF secret', async () => {
    const client = blog.app.testClient();
    await client.get('/auth/register', { headers: HTML });
    const registered = await postForm(client, '/auth/register', {
      username: 'newcomer',
      password: 'long enough',
    });
    expect(registered.status).toBe(302);
    // The flash message is the first thing the visitor's session holds.
    expect(await sessionKeys()).toHaveLength(1);
    expect((await client.get('/auth/login', { headers: HTML })).text).toContain(
      'Registration complete',
    );
    expect(await sessionKeys()).toEqual([]);
    expect((await logIn(client, 'newcomer', 'long enough')).status).toBe(302);

    const forged = blog.app.testClient();
    await forged.get('/auth/login', { headers: HTML });
    const refused = await forged.post('/auth/login', {
      form: { username: 'test', password: 'test', csrf_token: 'forged' },
      headers: { accept: 'application/json' },
      csrf: false,
    });
    expect(refused.json()).toMatchObject({ error: 'csrf_token_invalid' });
  });
});
