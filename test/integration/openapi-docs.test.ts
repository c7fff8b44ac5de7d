import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsString, Length } from 'class-validator';
import { chromium, type BrowserContext } from 'playwright-core';
import {
  Body,
  createApp,
  DEFAULT_SECURITY_HEADERS,
  Get,
  Module,
  Param,
  Post,
  Returns,
  Route,
  Status,
  type FlagonApp,
} from '../../src';
import { OpenApiModule } from '../../src/openapi/openapi-module';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/chromium';
import { validateOpenApi } from '../support/validate-openapi';

jest.setTimeout(90_000);

class PostDto {
  @IsString() @Length(1, 200) title!: string;
  @IsString() body!: string;
}

@Route('/api/posts')
class PostApi {
  @Get('/<int:id>')
  @Returns(PostDto)
  show(@Param('id') id: number): PostDto {
    return Object.assign(new PostDto(), { title: `Post ${id}`, body: '' });
  }

  @Post('/')
  @Status(201)
  @Returns(PostDto)
  create(@Body() post: PostDto): PostDto {
    return post;
  }
}

@Module({ controllers: [PostApi] })
class BlogModule {}

function buildApp(options: { path?: string | false; docs?: string | false } = {}): FlagonApp {
  return createApp({
    modules: [
      BlogModule,
      OpenApiModule.configure({ title: 'Blog API', version: '1.0.0', ...options }),
    ],
    config: { TESTING: true },
    env: false,
  });
}

describe('OpenApiModule', () => {
  const app = buildApp();
  const client = app.testClient();
  beforeAll(() => app.init());
  afterAll(() => app.close());

  it('serves a valid OpenAPI 3.1 document at /openapi.json', async () => {
    const res = await client.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const document = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths)).toEqual(['/api/posts/{id}', '/api/posts/']);
    expect(validateOpenApi(document).valid).toBe(true);
  });

  it('serves the very document app.openapi() returns', async () => {
    const res = await client.get('/openapi.json');
    expect(res.json()).toEqual(app.openapi());
    expect(app.openapi()).toBe(app.openapi());
    expect(app.openapi().paths['/api/posts/']?.post?.operationId).toBe('blog.PostApi.create');
  });

  it('documents each route from what it declares: converters, body, CSRF header', () => {
    const show = app.openapi().paths['/api/posts/{id}']?.get;
    expect(show?.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', schema: { type: 'integer', minimum: 0 } }),
    );
    const create = app.openapi().paths['/api/posts/']?.post;
    expect(create?.parameters).toContainEqual(
      expect.objectContaining({ name: 'X-CSRF-Token', in: 'header' }),
    );
    expect(Object.keys(create?.responses ?? {})).toContain('201');
  });

  it('serves the docs page with a policy of its own: no unsafe-inline, no other origin', async () => {
    const res = await client.get('/docs');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:/);
    expect(res.text).toContain('/docs/swagger-ui-bundle.js');
  });

  it('serves the UI from the installed package, and nothing else under /docs', async () => {
    const script = await client.get('/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    const css = await client.get('/docs/swagger-ui.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await client.get('/docs/package.json')).status).toBe(404);
    expect((await client.get('/docs/..%2Fpackage.json')).status).toBe(404);
  });

  it('leaves every other route the default policy', async () => {
    const res = await client.get('/api/posts/1');
    expect(res.headers['content-security-policy']).toBe(
      DEFAULT_SECURITY_HEADERS['content-security-policy'],
    );
  });

  it('documents neither its own routes', async () => {
    const document = (await client.get('/openapi.json')).json<{ paths: object }>();
    expect(Object.keys(document.paths)).not.toContain('/docs');
  });
});

describe('app.openapi()', () => {
  it('refuses with a clear error when OpenApiModule is not mounted', async () => {
    const app = createApp({ modules: [BlogModule], config: { TESTING: true }, env: false });
    await app.init();
    expect(() => app.openapi()).toThrow(
      expect.objectContaining({
        code: 'FLAGON_OPENAPI_UNAVAILABLE',
        message: expect.stringContaining('OpenApiModule.configure') as string,
      }) as Error,
    );
    await app.close();
  });

  it('asks for init first, before the routes are prepared', async () => {
    const app = buildApp();
    expect(() => app.openapi()).toThrow(
      expect.objectContaining({
        code: 'FLAGON_OPENAPI_UNAVAILABLE',
        message: expect.stringContaining('app.init()') as string,
      }) as Error,
    );
    await app.init();
    expect(Object.keys(app.openapi().paths)).toEqual(['/api/posts/{id}', '/api/posts/']);
    await app.close();
  });
});

describe('OpenApiModule paths', () => {
  it('serves the document and the page where configured, or not at all with false', async () => {
    const moved = buildApp({ path: '/api/spec.json', docs: '/api/docs' });
    const client = moved.testClient();
    expect((await client.get('/api/spec.json')).status).toBe(200);
    expect((await client.get('/api/docs')).text).toContain('"url":"/api/spec.json"');
    expect((await client.get('/openapi.json')).status).toBe(404);
    await moved.close();

    const none = buildApp({ docs: false });
    expect((await none.testClient().get('/docs')).status).toBe(404);
    expect((await none.testClient().get('/openapi.json')).status).toBe(200);
    await none.close();
  });

  it('refuses a path that does not start with /', () => {
    expect(() => buildApp({ path: 'openapi.json' })).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });
});

describe('the docs page in Chromium', () => {
  const app = buildApp();
  let context: BrowserContext | undefined;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'flagon-docs-'));
    context = await chromium.launchPersistentContext(join(folder, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  });

  afterAll(async () => {
    await context?.close();
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the operations and logs no CSP violation', async () => {
    const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
    const page = context?.pages()[0] ?? (await context?.newPage());
    if (!page) throw new Error('no page');
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    // Runs before the page's own scripts (Playwright injects it outside the page's policy).
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));",
    });
    await page.goto(`http://127.0.0.1:${port}/docs`);
    await page.locator('.opblock').first().waitFor();
    const operations = await page.locator('.opblock-summary-path').allTextContents();
    expect(operations.map((text) => text.replace(/\u200b/g, ''))).toEqual([
      '/api/posts/{id}',
      '/api/posts/',
    ]);
    await expect(page.locator('.opblock-summary-method').allTextContents()).resolves.toEqual([
      'GET',
      'POST',
    ]);
    // Opening an operation renders its schemas (more of the UI under the policy).
    await page.locator('.opblock-summary').nth(1).click();
    await page.locator('.opblock-body').first().waitFor();
    expect(problems).toEqual([]);
  });
});
