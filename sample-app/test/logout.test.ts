import type { TestClient } from 'flagon';
import { Users } from '../auth/users';
import { blogFixture, countPosts, ENGINES, HTML, logIn, postForm, type Blog } from './support';

const SITE = 'http://localhost/';

/** A second client holding a copy of every cookie the first one has (a stolen or synced cookie). */
async function copyOf(blog: Blog, client: TestClient): Promise<TestClient> {
  const copy = blog.app.testClient();
  for (const cookie of await client.cookies.getCookies(SITE))
    await copy.cookies.setCookie(cookie.clone() ?? cookie, SITE);
  return copy;
}

/** What a client can still do as the user: the index's nav, the create form, the JSON API. */
async function abilities(client: TestClient) {
  const index = await client.get('/', { headers: HTML });
  const create = await client.get('/create', { headers: HTML });
  await client.get('/', { headers: HTML });
  const form = await postForm(client, '/create', { title: 'copied', body: 'by a copy' });
  const api = await client.post('/api/posts', {
    json: { title: 'copied', body: 'through the API' },
    headers: { accept: 'application/json' },
  });
  return {
    isLoggedIn: index.text.includes('Log Out'),
    create: create.status,
    form: form.status,
    api: api.status,
  };
}

describe.each(ENGINES)('on %s', (engine) => {
  const createTestBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await createTestBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  it('a cookie copied before logout logs nobody in after it (pages, forms, API)', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const copy = await copyOf(blog, client);
    expect(await abilities(copy)).toEqual({ isLoggedIn: true, create: 200, form: 302, api: 201 });
    const posts = await countPosts(blog.db);

    expect((await client.get('/auth/logout', { headers: HTML })).status).toBe(302);

    expect(await abilities(copy)).toEqual({ isLoggedIn: false, create: 302, form: 302, api: 401 });
    expect(await countPosts(blog.db)).toBe(posts);
  });

  it('logging in again after a logout works, and the old copy stays out', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const copy = await copyOf(blog, client);
    await client.get('/auth/logout', { headers: HTML });
    await logIn(client);
    expect((await client.get('/', { headers: HTML })).text).toContain('Log Out');
    expect((await copy.get('/', { headers: HTML })).text).not.toContain('Log Out');
  });

  it('a password change ends the sessions made before it', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    await blog.app.resolve(Users).changePassword(blog.ids.test, 'a new hash');
    expect((await client.get('/', { headers: HTML })).text).not.toContain('Log Out');
  });
});
