import { blogFixture, countPosts, ENGINES, HTML, logIn, NOW, postForm, type Blog } from './support';

describe.each(ENGINES)('on %s', (engine) => {
  const createTestBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await createTestBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  /** A path template with the seeded post's id, or one no post has. */
  function at(template: string): string {
    return template
      .replace('{post}', String(blog.ids.post))
      .replace('{unknown}', String(blog.ids.post + 1000));
  }

  function post(id: number): Promise<{ title: string; body: string } | undefined> {
    return blog.db
      .selectFrom('posts')
      .select(['title', 'body'])
      .where('id', '=', id)
      .executeTakeFirst();
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
      expect(res.text).not.toContain(`href="/${blog.ids.post}/update"`);
      expect(res.text).toMatch(/<meta name="csrf-token" content="[^"]+">/);
    });

    it('shows the Edit link on the own posts only, and the logged-in nav', async () => {
      const client = blog.app.testClient();
      await logIn(client, 'other', 'other');
      const { id: mine } = await blog.db
        .insertInto('posts')
        .values({
          title: 'mine',
          body: '',
          author_id: blog.ids.other,
          created: '2019-01-01T00:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const res = await client.get('/', { headers: HTML });
      expect(res.text).toContain('Log Out');
      expect(res.text).toContain('href="/create"');
      expect(res.text).toContain(`href="/${mine}/update"`);
      expect(res.text).not.toContain(`href="/${blog.ids.post}/update"`);
      expect(res.text.indexOf('mine')).toBeLessThan(res.text.indexOf('test title'));
    });

    it('escapes post bodies', async () => {
      await blog.db
        .updateTable('posts')
        .set({ body: '<script>alert(1)</script>' })
        .where('id', '=', blog.ids.post)
        .execute();
      const res = await blog.app.testClient().get('/');
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  describe('pages of posts', () => {
    /** 24 posts after the seeded one, a minute apart: 25 in all, three pages. */
    async function addPosts(): Promise<void> {
      const rows = Array.from({ length: 24 }, (_, index) => ({
        title: `post ${String(index + 1).padStart(2, '0')}`,
        body: '',
        author_id: blog.ids.test,
        created: new Date(NOW.getTime() + (index + 1) * 60_000).toISOString(),
      }));
      await blog.db.insertInto('posts').values(rows).execute();
    }

    function titles(html: string): string[] {
      return [...html.matchAll(/<h2 class="post-title">([^<]*)<\/h2>/g)].map((match) =>
        String(match[1]),
      );
    }

    it('shows ten posts a page, newest first, with links to the other pages', async () => {
      await addPosts();
      const client = blog.app.testClient();
      const first = await client.get('/', { headers: HTML });
      expect(titles(first.text)).toEqual([
        'post 24',
        'post 23',
        'post 22',
        'post 21',
        'post 20',
        'post 19',
        'post 18',
        'post 17',
        'post 16',
        'post 15',
      ]);
      expect(first.text).toContain('href="/?page=2"');
      expect(first.text).toContain('href="/?page=3"');
      expect(first.text).toContain('rel="next" href="/?page=2"');
      expect(first.text).not.toContain('rel="prev"');

      const last = await client.get('/?page=3', { headers: HTML });
      expect(last.status).toBe(200);
      expect(titles(last.text)).toEqual(['post 04', 'post 03', 'post 02', 'post 01', 'test title']);
      expect(last.text).toContain('rel="prev" href="/?page=2"');
      expect(last.text).toContain('<span aria-current="page">3</span>');
    });

    it('shows no page links when every post fits on one page', async () => {
      const res = await blog.app.testClient().get('/?page=1', { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('class="pagination"');
    });

    it.each(['2', '0', '-1', 'abc', '1.5', '99999999999999999999', ''])(
      'answers 404 for page %j',
      async (page) => {
        const res = await blog.app.testClient().get(`/?page=${page}`, { headers: HTML });
        expect(res.status).toBe(404);
      },
    );
  });

  describe('login required', () => {
    it.each([
      ['GET', '/create'],
      ['POST', '/create'],
      ['GET', '/{post}/update'],
      ['POST', '/{post}/update'],
      ['POST', '/{post}/delete'],
    ])('%s %s redirects anonymous users to the login page', async (method, template) => {
      const path = at(template);
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
      ['GET', '/{post}/update'],
      ['POST', '/{post}/update'],
      ['POST', '/{post}/delete'],
    ])('%s %s is forbidden to another user', async (method, template) => {
      const path = at(template);
      const client = blog.app.testClient();
      await logIn(client, 'other', 'other');
      const res =
        method === 'GET' ? await client.get(path) : await postForm(client, path, { title: 'x' });
      expect(res.status).toBe(403);
      expect((await post(blog.ids.post))?.title).toBe('test title');
    });
  });

  describe('exists required', () => {
    it.each([
      ['GET', '/{unknown}/update'],
      ['POST', '/{unknown}/update'],
      ['POST', '/{unknown}/delete'],
    ])('%s %s is 404 for an unknown post', async (method, template) => {
      const path = at(template);
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
      expect(await countPosts(blog.db)).toBe(2);
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
      expect(await countPosts(blog.db)).toBe(1);
    });
    it('caps the body length with a form error', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      await client.get('/create');
      const tooLong = await postForm(client, '/create', {
        title: 'long',
        body: 'x'.repeat(10_001),
      });
      expect(tooLong.status).toBe(200);
      expect(tooLong.text).toContain('Body must be at most 10000 characters.');
      expect(await countPosts(blog.db)).toBe(1);
      const longest = await postForm(client, '/create', {
        title: 'long',
        body: 'x'.repeat(10_000),
      });
      expect(longest.status).toBe(302);
      expect(await countPosts(blog.db)).toBe(2);
    });
  });

  describe('update', () => {
    it('updates the own post', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const page = await client.get(`/${blog.ids.post}/update`, { headers: HTML });
      expect(page.status).toBe(200);
      expect(page.text).toContain('value="test title"');
      const res = await postForm(client, `/${blog.ids.post}/update`, {
        title: 'updated',
        body: '',
      });
      expect(res.status).toBe(302);
      expect(await post(blog.ids.post)).toEqual({ title: 'updated', body: '' });
    });

    it('requires a title', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      await client.get(`/${blog.ids.post}/update`);
      const res = await postForm(client, `/${blog.ids.post}/update`, { title: '', body: '' });
      expect(res.text).toContain('Title is required.');
      expect((await post(blog.ids.post))?.title).toBe('test title');
    });
  });

  describe('delete', () => {
    it('deletes the own post and redirects to the index', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await postForm(client, `/${blog.ids.post}/delete`);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
      expect(await post(blog.ids.post)).toBeUndefined();
    });

    it('refuses a delete without a CSRF token', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post(`/${blog.ids.post}/delete`, { csrf: false });
      expect(res.status).toBe(400);
      expect(await post(blog.ids.post)).toBeDefined();
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
});
