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

  async function wrongPasswords(count: number, username = 'test'): Promise<number[]> {
    const client = blog.app.testClient();
    await client.get('/auth/login', { headers: HTML });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < count; attempt++)
      statuses.push(
        (await postForm(client, '/auth/login', { username, password: 'guess' })).status,
      );
    return statuses;
  }

  it('meets thirty wrong passwords in a row with 429 and Retry-After', async () => {
    const statuses = await wrongPasswords(30);
    expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(statuses.slice(10)).toEqual(Array.from({ length: 20 }, () => 429));

    const client = blog.app.testClient();
    await client.get('/auth/login', { headers: HTML });
    const locked = await postForm(client, '/auth/login', { username: 'test', password: 'test' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.headers['ratelimit-policy']).toBe('"failed-logins";q=10;w=900');
  });

  it('shows the failed login page with its message', async () => {
    const client = blog.app.testClient();
    await client.get('/auth/login', { headers: HTML });
    const res = await postForm(client, '/auth/login', { username: 'test', password: 'guess' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Incorrect password.');
  });

  it('counts failures per username, and forgets them after a success', async () => {
    await wrongPasswords(9);
    expect((await logIn(blog.app.testClient())).status).toBe(302);
    expect(await wrongPasswords(10)).not.toContain(429);
    expect((await wrongPasswords(10, 'other')).at(-1)).toBe(200);
  });

  it('limits registrations per IP', async () => {
    const client = blog.app.testClient();
    await client.get('/auth/register', { headers: HTML });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt++)
      statuses.push(
        (await postForm(client, '/auth/register', { username: `user${attempt}`, password: 'x' }))
          .status,
      );
    expect(statuses.slice(0, 30)).not.toContain(429);
    expect(statuses[30]).toBe(429);
  });
});
