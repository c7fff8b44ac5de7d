import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { blogFixture, ENGINES, logIn, multipart, type Blog } from './support';

describe.each(ENGINES)('on %s', (engine) => {
  const createTestBlog = blogFixture(engine);
  let blog: Blog;

  beforeEach(async () => {
    blog = await createTestBlog();
  });

  afterEach(async () => {
    await blog.close();
  });

  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64, 1),
  ]);

  async function upload(
    file: { value: Buffer | string; filename: string; type: string },
    { loggedIn = true, token = true } = {},
  ) {
    const client = blog.app.testClient();
    if (loggedIn) await logIn(client);
    else await client.get('/');
    const { body, headers } = multipart([{ name: 'avatar', ...file }]);
    return client.post('/profile/avatar', {
      body,
      headers: { ...headers, ...(token ? { 'x-csrf-token': client.csrfToken ?? '' } : {}) },
      csrf: token,
    });
  }

  describe('POST /profile/avatar', () => {
    it('stores an image and serves it back', async () => {
      const res = await upload({ value: PNG, filename: 'me.png', type: 'image/png' });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        avatar: `/profile/${blog.ids.test}/avatar`,
        size: PNG.length,
        type: 'image/png',
      });
      const image = await blog.app.testClient().get(`/profile/${blog.ids.test}/avatar`);
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.body.equals(PNG)).toBe(true);
    });

    it('accepts a file of exactly 1 MiB', async () => {
      const file = Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(1024 * 1024 - 8)]);
      const res = await upload({ value: file, filename: 'big.png', type: 'image/png' });
      expect(res.status).toBe(200);
    });

    it('answers 413 for a file over 1 MiB', async () => {
      const file = Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(1024 * 1024)]);
      const res = await upload({ value: file, filename: 'huge.png', type: 'image/png' });
      expect(res.status).toBe(413);
    });

    it('answers 400 for a file that is not an image', async () => {
      const res = await upload({ value: 'just text', filename: 'notes.txt', type: 'text/plain' });
      expect(res.status).toBe(400);
      expect(existsSync(join(blog.folder, 'avatars'))).toBe(false);
    });

    it('answers 400 for text that claims to be a PNG', async () => {
      const res = await upload({
        value: 'not really a png',
        filename: 'fake.png',
        type: 'image/png',
      });
      expect(res.status).toBe(400);
    });

    it('answers 401 to anonymous clients', async () => {
      const res = await upload(
        { value: PNG, filename: 'me.png', type: 'image/png' },
        { loggedIn: false },
      );
      expect(res.status).toBe(401);
    });

    it('refuses an upload without the CSRF token', async () => {
      const res = await upload(
        { value: PNG, filename: 'me.png', type: 'image/png' },
        { token: false },
      );
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'csrf_token_missing' });
    });
  });

  describe('GET /static/<path>', () => {
    it('serves the stylesheet', async () => {
      const res = await blog.app.testClient().get('/static/style.css');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/css/);
    });
  });
});
