import type { TestClient } from 'flagon';
import { blogFixture, HTML, logIn, type Blog } from './support';

// The behaviour under test does not depend on the database engine.
const createTestBlog = blogFixture('sqlite');

let blog: Blog;

beforeEach(async () => {
  blog = await createTestBlog();
});

afterEach(async () => {
  await blog.close();
});

/** Posts a form whose fields may repeat, with the client's current CSRF token. */
function postRepeated(
  client: TestClient,
  path: string,
  form: Record<string, string | string[]>,
): ReturnType<TestClient['post']> {
  return client.post(path, {
    form: { ...form, csrf_token: client.csrfToken ?? '' },
    headers: HTML,
  });
}

describe('repeated form fields take their first value (never a 500)', () => {
  it('registers with the first username and password', async () => {
    const client = blog.app.testClient();
    await client.get('/auth/register', { headers: HTML });
    const res = await postRepeated(client, '/auth/register', {
      username: ['first-user', 'second-user'],
      password: ['first-password', 'second-password'],
    });
    expect([res.status, res.headers.location]).toEqual([302, '/auth/login']);
    expect((await logIn(client, 'first-user', 'first-password')).status).toBe(302);
  });

  it('logs in with the first of repeated fields', async () => {
    const client = blog.app.testClient();
    await client.get('/auth/login', { headers: HTML });
    const res = await postRepeated(client, '/auth/login', {
      username: ['test', 'other'],
      password: ['test', 'wrong'],
    });
    expect(res.status).toBe(302);
  });

  it('creates a post titled with the first title', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const res = await postRepeated(client, '/create', {
      title: ['first title', 'second title'],
      body: ['first body', 'second body'],
    });
    expect(res.status).toBe(302);
    const index = await client.get('/', { headers: HTML });
    expect(index.text).toContain('first title');
    expect(index.text).not.toContain('second title');
  });
});
