import { Database } from '../db/database';
import { createTestBlog, HTML, logIn, postForm, type Blog } from './support';

let blog: Blog;

beforeEach(async () => {
  blog = await createTestBlog();
});

afterEach(async () => {
  await blog.close();
});

function countPosts(): number {
  return (
    blog.app.resolve(Database).connection.prepare('SELECT COUNT(id) AS n FROM post').get() as {
      n: number;
    }
  ).n;
}

function post(id: number): { title: string; body: string } | undefined {
  return blog.app
    .resolve(Database)
    .connection.prepare('SELECT title, body FROM post WHERE id = ?')
    .get(id) as { title: string; body: string } | undefined;
}

it('says hello', async () => {
  const res = await blog.app.testClient().get('/hello');
  expect(res.status).toBe(200);
  expect(res.text).toBe('Hello, World!');
});

describe('index', () => {
  it('lists posts with author and date, and the anonymous nav', async () => {
    const res = await blog.app.testClient().get('/', { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Log In');
    expect(res.text).toContain('Register');
    expect(res.text).toContain('test title');
    expect(res.text).toContain('by test on 2018-01-01');
    expect(res.text).toContain('test\nbody');
    expect(res.text).not.toContain('href="/1/update"');
    expect(res.text).toMatch(/<meta name="csrf-token" content="[^"]+">/);
  });

  it('shows the Edit link on the own posts only, and the logged-in nav', async () => {
    const client = blog.app.testClient();
    await logIn(client, 'other', 'other');
    blog.app
      .resolve(Database)
      .connection.prepare(
        "INSERT INTO post (title, body, author_id, created) VALUES ('mine', '', 2, '2019-01-01T00:00:00.000Z')",
      )
      .run();
    const res = await client.get('/', { headers: HTML });
    expect(res.text).toContain('Log Out');
    expect(res.text).toContain('href="/create"');
    expect(res.text).toContain('href="/2/update"');
    expect(res.text).not.toContain('href="/1/update"');
    expect(res.text.indexOf('mine')).toBeLessThan(res.text.indexOf('test title'));
  });

  it('escapes post bodies', async () => {
    blog.app
      .resolve(Database)
      .connection.prepare("UPDATE post SET body = '<script>alert(1)</script>' WHERE id = 1")
      .run();
    const res = await blog.app.testClient().get('/');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('login required', () => {
  it.each([
    ['GET', '/create'],
    ['POST', '/create'],
    ['GET', '/1/update'],
    ['POST', '/1/update'],
    ['POST', '/1/delete'],
  ])('%s %s redirects anonymous users to the login page', async (method, path) => {
    const client = blog.app.testClient();
    await client.get('/');
    const res =
      method === 'GET' ? await client.get(path) : await postForm(client, path, { title: 'x' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/login');
  });

  it('returns to the page that asked for the login once logged in', async () => {
    const client = blog.app.testClient();
    expect((await client.get('/create')).headers.location).toBe('/auth/login');
    const res = await logIn(client, 'test', 'test');
    expect(res.headers.location).toBe('/create');
    // Remembered once: the next login goes to the index.
    await client.get('/auth/logout');
    expect((await logIn(client, 'test', 'test')).headers.location).toBe('/');
  });
});

describe('author required', () => {
  it.each([
    ['GET', '/1/update'],
    ['POST', '/1/update'],
    ['POST', '/1/delete'],
  ])('%s %s is forbidden to another user', async (method, path) => {
    const client = blog.app.testClient();
    await logIn(client, 'other', 'other');
    const res =
      method === 'GET' ? await client.get(path) : await postForm(client, path, { title: 'x' });
    expect(res.status).toBe(403);
    expect(post(1)?.title).toBe('test title');
  });
});

describe('exists required', () => {
  it.each([
    ['GET', '/2/update'],
    ['POST', '/2/update'],
    ['POST', '/2/delete'],
  ])('%s %s is 404 for an unknown post', async (method, path) => {
    const client = blog.app.testClient();
    await logIn(client);
    const res =
      method === 'GET' ? await client.get(path) : await postForm(client, path, { title: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('create', () => {
  it('creates a post and redirects to the index', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    expect((await client.get('/create', { headers: HTML })).status).toBe(200);
    const res = await postForm(client, '/create', { title: 'created', body: '' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(countPosts()).toBe(2);
    const index = await client.get('/', { headers: HTML });
    expect(index.text).toContain('Post created.');
    expect(index.text).toContain('created');
  });

  it('requires a title', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    await client.get('/create');
    const res = await postForm(client, '/create', { title: '', body: '' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Title is required.');
    expect(countPosts()).toBe(1);
  });
});

describe('update', () => {
  it('updates the own post', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const page = await client.get('/1/update', { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="test title"');
    const res = await postForm(client, '/1/update', { title: 'updated', body: '' });
    expect(res.status).toBe(302);
    expect(post(1)).toEqual({ title: 'updated', body: '' });
  });

  it('requires a title', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    await client.get('/1/update');
    const res = await postForm(client, '/1/update', { title: '', body: '' });
    expect(res.text).toContain('Title is required.');
    expect(post(1)?.title).toBe('test title');
  });
});

describe('delete', () => {
  it('deletes the own post and redirects to the index', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const res = await postForm(client, '/1/delete');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(post(1)).toBeUndefined();
  });

  it('refuses a delete without a CSRF token', async () => {
    const client = blog.app.testClient();
    await logIn(client);
    const res = await client.post('/1/delete');
    expect(res.status).toBe(400);
    expect(post(1)).toBeDefined();
  });
});

describe('error pages', () => {
  it('renders a 404 in the layout, without the debug stack', async () => {
    await blog.close();
    blog = await createTestBlog({ DEBUG: true });
    const res = await blog.app.testClient().get('/2/nothing', { headers: HTML });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Back to the posts');
    expect(res.text).toContain('<meta name="csrf-token"');
    expect(res.text).not.toContain('class="stack"');
  });
});
