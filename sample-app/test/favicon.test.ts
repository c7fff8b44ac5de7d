import { blogFixture, HTML, type Blog } from './support';

// The behaviour under test does not depend on the database engine.
const createTestBlog = blogFixture('sqlite');

let blog: Blog;

beforeAll(async () => {
  blog = await createTestBlog();
});

afterAll(() => blog.close());

describe('the favicon', () => {
  it('is linked from every page and served from the static folder', async () => {
    const client = blog.app.testClient();
    const page = await client.get('/', { headers: HTML });
    const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(page.text)?.[1];
    expect(href).toMatch(/^\/static\/favicon\.svg/);
    const icon = await client.get(href ?? '');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});
