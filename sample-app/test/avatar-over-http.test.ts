import { blogFixture, logIn, multipart, type Blog } from './support';

// The behaviour under test does not depend on the database engine.
const createTestBlog = blogFixture('sqlite');

let blog: Blog;

beforeEach(async () => {
  blog = await createTestBlog();
});

afterEach(async () => {
  await blog.close();
});

it('100 of 100 avatar uploads of 1 MiB + 64 KiB through fetch see the 413', async () => {
  const client = blog.app.testClient();
  await logIn(client);
  const cookie = await client.cookies.getCookieString('http://localhost/');
  const { port } = await blog.app.listen({ port: 0 });
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(1024 * 1024 + 64 * 1024 - 8, 1),
  ]);
  const { body, headers } = multipart([
    { name: 'avatar', value: png, filename: 'me.png', type: 'image/png' },
  ]);
  const counts: Record<string, number> = {};
  for (let attempt = 0; attempt < 100; attempt++) {
    let outcome: string;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/profile/avatar`, {
        method: 'POST',
        body,
        headers: { ...headers, cookie, 'x-csrf-token': client.csrfToken ?? '' },
      });
      await res.arrayBuffer();
      outcome = String(res.status);
    } catch (error) {
      outcome = `failed: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`;
    }
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  expect(counts).toEqual({ '413': 100 });
}, 60_000);
