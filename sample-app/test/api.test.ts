import { DEFAULT_SECURITY_HEADERS, type OpenApiDocument, type TestRequestOptions } from 'flagon';
import { validateOpenApi } from '../../test/support/validate-openapi';
import { blogFixture, countPosts, ENGINES, logIn, type Blog } from './support';

describe.each(ENGINES)('on %s', (engine) => {
  const createTestBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await createTestBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  /** The seeded post as the API shows it: the same JSON on both engines. */
  function testPost(): object {
    return {
      id: blog.ids.post,
      title: 'test title',
      body: 'test\nbody',
      created: '2018-01-01T00:00:00.000Z',
      author_id: blog.ids.test,
      username: 'test',
    };
  }

  describe('GET /api/posts', () => {
    it('lists the posts as JSON', async () => {
      const res = await blog.app.testClient().get('/api/posts');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ posts: [testPost()] });
    });

    it('shows one post', async () => {
      const res = await blog.app.testClient().get(`/api/posts/${blog.ids.post}`);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual(testPost());
    });

    it.each(['/api/posts/{unknown}', '/api/posts/abc', '/api/posts/1.5', '/api/posts/-1'])(
      'answers 404 for %s',
      async (template) => {
        const path = template.replace('{unknown}', String(blog.ids.post + 1000));
        const res = await blog.app.testClient().get(path);
        expect(res.status).toBe(404);
      },
    );
  });

  describe('POST /api/posts', () => {
    it('creates a post and answers 201 with it', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', {
        json: { title: 'from the API', body: 'hi' },
        headers: { 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(201);
      const created = res.json<{ id: number }>();
      expect(created).toEqual({
        id: expect.any(Number) as unknown,
        title: 'from the API',
        body: 'hi',
        created: '2018-01-01T00:00:00.000Z',
        author_id: blog.ids.test,
        username: 'test',
      });
      expect(created.id).not.toBe(blog.ids.post);
      expect((await client.get(`/api/posts/${created.id}`)).json()).toEqual(created);
    });

    it('answers 400 listing the fields that failed', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', {
        json: { title: 'x'.repeat(201), body: 3 },
        headers: { 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(400);
      const body = res.json<{ error: string; fields: Record<string, string[]> }>();
      expect(body.error).toBe('validation_failed');
      expect(Object.keys(body.fields).sort()).toEqual(['body', 'title']);
    });

    it('answers 400 naming the body when it is over the length cap', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', {
        json: { title: 'long', body: 'x'.repeat(10_001) },
        headers: { 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json<{ fields: object }>().fields)).toEqual(['body']);
      expect(await countPosts(blog.db)).toBe(1);
    });

    it('answers 400 for an empty title', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', {
        json: { title: '', body: '' },
        headers: { 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json<{ fields: object }>().fields)).toEqual(['title']);
    });

    it('answers 401 to anonymous clients', async () => {
      const client = blog.app.testClient();
      await client.get('/');
      const res = await client.post('/api/posts', {
        json: { title: 't', body: '' },
        headers: { 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(401);
    });

    it.each<[string, TestRequestOptions]>([
      ['a form post', { form: { title: 't', body: 'b' } }],
      [
        'a text body',
        { body: '{"title":"t","body":"b"}', headers: { 'content-type': 'text/plain' } },
      ],
    ])('answers 415 to %s: the API takes JSON only', async (_name, request) => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', {
        ...request,
        headers: { ...request.headers, 'x-csrf-token': client.csrfToken ?? '' },
      });
      expect(res.status).toBe(415);
      expect(res.json()).toMatchObject({ error: 'body_unsupported_type' });
      expect(await countPosts(blog.db)).toBe(1);
    });

    it('refuses a request without the X-CSRF-Token header', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.post('/api/posts', { json: { title: 't', body: '' }, csrf: false });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
    });
  });

  describe('the API document', () => {
    it('serves a valid OpenAPI 3.1 document of the /api routes at /openapi.json', async () => {
      const res = await blog.app.testClient().get('/openapi.json');
      expect(res.status).toBe(200);
      const document = res.json<OpenApiDocument>();
      expect(document).toEqual(blog.app.openapi());
      expect(validateOpenApi(document).valid).toBe(true);
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/'))).toEqual([
        '/api/posts',
        '/api/posts/{id}',
      ]);
      expect(Object.keys(document.paths['/api/posts']?.post?.requestBody?.content ?? {})).toEqual([
        'application/json',
      ]);
    });

    it('serves the docs page at /docs', async () => {
      const res = await blog.app.testClient().get('/docs', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.text).toContain('/docs/swagger-ui-bundle.js');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
      // The relaxed policy is the docs page's alone.
      const index = await blog.app.testClient().get('/', { headers: { accept: 'text/html' } });
      expect(index.headers['content-security-policy']).toBe(
        DEFAULT_SECURITY_HEADERS['content-security-policy'],
      );
    });
  });
});
