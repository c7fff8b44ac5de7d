import { blogFixture, ENGINES, HTML, logIn, postForm, type Blog } from './support';

describe.each(ENGINES)('on %s', (engine) => {
  const createTestBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await createTestBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  describe('register', () => {
    it('renders the form with a CSRF field', async () => {
      const res = await blog.app.testClient().get('/auth/register', { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.text).toContain('name="csrf_token"');
      expect(res.text).toContain('name="username"');
    });

    it('creates the user with a hashed password and redirects to the login page', async () => {
      const client = blog.app.testClient();
      await client.get('/auth/register');
      const res = await postForm(client, '/auth/register', {
        username: 'a',
        password: 'long enough',
      });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/auth/login');
      const row = await blog.db
        .selectFrom('users')
        .select('password')
        .where('username', '=', 'a')
        .executeTakeFirstOrThrow();
      expect(row.password).toMatch(/^\$argon2id\$/);
    });

    it.each([
      ['', '', 'Username is required.'],
      ['   ', 'long enough', 'Username is required.'],
      ['a', '', 'Password is required.'],
      ['a', 'seven77', 'Password must be at least 8 characters.'],
      ['x'.repeat(81), 'long enough', 'Username must be at most 80 characters.'],
      ['test', 'long enough', 'User test is already registered.'],
      ['TeSt', 'long enough', 'User TeSt is already registered.'],
      ['  test ', 'long enough', 'User test is already registered.'],
    ])('shows an error for username %j and password %j', async (username, password, message) => {
      const client = blog.app.testClient();
      await client.get('/auth/register');
      const res = await postForm(client, '/auth/register', { username, password });
      expect(res.status).toBe(200);
      expect(res.text).toContain(message);
    });

    it('escapes the name in the duplicate-user message', async () => {
      const client = blog.app.testClient();
      await client.get('/auth/register');
      const form = { username: '<b>x</b>', password: 'long enough' };
      await postForm(client, '/auth/register', form);
      const res = await postForm(client, '/auth/register', form);
      expect(res.text).toContain('User &lt;b&gt;x&lt;/b&gt; is already registered.');
    });

    it('stores the name trimmed, and logs in whatever its case', async () => {
      const client = blog.app.testClient();
      await client.get('/auth/register');
      await postForm(client, '/auth/register', { username: '  Ann  ', password: 'long enough' });
      const names = await blog.db.selectFrom('users').select('username').orderBy('id').execute();
      expect(names.map((row) => row.username)).toContain('Ann');
      const res = await logIn(client, ' ann', 'long enough');
      expect(res.headers.location).toBe('/');
    });

    it('keeps names unique regardless of case in the schema too', async () => {
      await expect(
        blog.db.insertInto('users').values({ username: 'TEST', password: 'x' }).execute(),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/) as unknown,
      });
    });
  });

  describe('login', () => {
    it('logs in, starts a new session and shows the user in the nav', async () => {
      const client = blog.app.testClient();
      const page = await client.get('/auth/login');
      const res = await postForm(client, '/auth/login', { username: 'test', password: 'test' });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
      expect(sessionCookie(res.headers['set-cookie'])).toBeDefined();
      expect(sessionCookie(res.headers['set-cookie'])).not.toBe(
        sessionCookie(page.headers['set-cookie']),
      );
      const index = await client.get('/', { headers: HTML });
      expect(index.text).toContain('Log Out');
      expect(index.text).toContain('>test</a>');
      expect(index.text).not.toContain('Log In');
    });

    it.each([
      ['a', 'test', 'Incorrect username.'],
      ['test', 'a', 'Incorrect password.'],
    ])('shows an error for username %j and password %j', async (username, password, message) => {
      const res = await logIn(blog.app.testClient(), username, password);
      expect(res.status).toBe(200);
      expect(res.text).toContain(message);
    });

    it('redirects to a same-site next path', async () => {
      const res = await logIn(blog.app.testClient(), 'test', 'test', '/create');
      expect(res.headers.location).toBe('/create');
    });

    it.each(['https://evil.example/', '//evil.example', '/\\evil.example'])(
      'ignores the unsafe next %j',
      async (next) => {
        const res = await logIn(blog.app.testClient(), 'test', 'test', next);
        expect(res.headers.location).toBe('/');
      },
    );
  });

  describe('logout', () => {
    it('clears the session and redirects to the index', async () => {
      const client = blog.app.testClient();
      await logIn(client);
      const res = await client.get('/auth/logout');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
      const index = await client.get('/', { headers: HTML });
      expect(index.text).toContain('Log In');
      expect(index.text).toContain('Register');
      expect(index.text).not.toContain('Log Out');
    });
  });

  describe('CSRF', () => {
    it('rejects a form posted without the token', async () => {
      const client = blog.app.testClient();
      await client.get('/auth/login');
      const res = await client.post('/auth/login', {
        form: { username: 'test', password: 'test' },
        csrf: false,
      });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
    });

    it('rejects a forged token', async () => {
      const client = blog.app.testClient();
      await client.get('/auth/register');
      const res = await client.post('/auth/register', {
        form: { username: 'x', password: 'x', csrf_token: 'forged.token.value' },
      });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'csrf_token_invalid' });
    });
  });
});

function sessionCookie(header: string | string[] | undefined): string | undefined {
  return [header ?? []]
    .flat()
    .find((line) => line.startsWith('session='))
    ?.split(';')[0];
}
