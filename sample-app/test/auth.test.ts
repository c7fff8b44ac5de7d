import { createTestBlog, HTML, logIn, postForm, type Blog } from './support';
import { Database } from '../db/database';

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
    const res = await postForm(client, '/auth/register', { username: 'a', password: 'a' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/login');
    const row = blog.app
      .resolve(Database)
      .connection.prepare('SELECT password FROM user WHERE username = ?')
      .get('a') as { password: string };
    expect(row.password).toMatch(/^\$argon2id\$/);
  });

  it.each([
    ['', '', 'Username is required.'],
    ['a', '', 'Password is required.'],
    ['test', 'test', 'User test is already registered.'],
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
    await postForm(client, '/auth/register', { username: '<b>x</b>', password: 'p' });
    const res = await postForm(client, '/auth/register', { username: '<b>x</b>', password: 'p' });
    expect(res.text).toContain('User &lt;b&gt;x&lt;/b&gt; is already registered.');
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
    const res = await client.post('/auth/login', { form: { username: 'test', password: 'test' } });
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

function sessionCookie(header: string | string[] | undefined): string | undefined {
  return [header ?? []]
    .flat()
    .find((line) => line.startsWith('session='))
    ?.split(';')[0];
}
