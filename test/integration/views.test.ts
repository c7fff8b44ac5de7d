import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  abort,
  createApp,
  redirect,
  Response,
  Get,
  Module,
  Param,
  Render,
  render,
  Route,
  ViewEngine,
  type FlagonApp,
  type OnInit,
  viewEngineOf,
} from '../../src';

function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'flagon-views-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

@Route('/')
class PageController {
  @Get('/page/<name>')
  @Render('page.hbs')
  page(@Param('name') name: string): { name: string; items: string[] } {
    return { name, items: ['<a>', 'b & c'] };
  }

  @Get('/any/<path:template>')
  any(@Param('template') template: string): string {
    return render(template, {
      value: '<script>alert(1)</script>',
      data: { html: '</script><!--', line: '\u2028' },
    });
  }

  @Get('/go')
  @Render('page.hbs')
  go(): Response {
    return redirect('/elsewhere');
  }

  @Get('/bad')
  bad(): never {
    abort(400);
  }

  @Get('/async')
  @Render('page.hbs')
  asyncPage(): Promise<{ name: string; items: string[] }> {
    return Promise.resolve({ name: 'async', items: [] });
  }
}

@Module({
  controllers: [PageController],
  templates: 'blog-templates',
  static: 'blog-static',
  prefix: '/',
})
class BlogModule {}

// A second module with a template folder of its own, registered after BlogModule in some tests.
@Module({ templates: 'shop-templates' })
class ShopModule {}

let captured: ViewEngine | undefined;
@Module({})
class CaptureModule {
  constructor(views: ViewEngine) {
    captured = views;
  }
}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    root,
    modules: [BlogModule, CaptureModule],
    config: { TESTING: true, ...config },
    env: false,
  });
}

async function engineOf(app: FlagonApp): Promise<ViewEngine> {
  await app.init();
  return captured as ViewEngine;
}

describe('templates', () => {
  it('renders a page with its layout, a partial and escaped values', async () => {
    writeTree(root, {
      'templates/page.hbs':
        '{{!< layouts/base}}{{#content "title"}}Hi {{name}}{{/content}}<ul>{{#each items}}{{> item}}{{/each}}</ul>',
      'templates/layouts/base.hbs': '<title>{{{block "title"}}}</title><main>{{body}}</main>',
      'templates/item.hbs': '<li>{{this}}</li>',
    });
    const res = await makeApp().testClient().get('/page/%3Cb%3E');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toBe(
      '<title>Hi &lt;b&gt;</title><main><ul><li>&lt;a&gt;</li><li>b &amp; c</li></ul></main>',
    );
  });

  it('lets a Response returned from a @Render handler through untouched', async () => {
    const res = await makeApp().testClient().get('/go');
    expect([res.status, res.headers['location']]).toEqual([302, '/elsewhere']);
  });

  it('throws FLAGON_CONTEXT_OUTSIDE_REQUEST when render() runs outside a request', () => {
    expect(() => render('page.hbs')).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONTEXT_OUTSIDE_REQUEST' }) as Error,
    );
  });

  it('renders the object an async handler resolves to', async () => {
    writeTree(root, { 'templates/page.hbs': '[{{name}}]' });
    expect((await makeApp().testClient().get('/async')).text).toBe('[async]');
  });

  it("prefers the app's template over a module's, and finds module templates and partials", async () => {
    writeTree(root, {
      'blog-templates/page.hbs': 'module page {{> shared}}',
      'blog-templates/shared.hbs': 'module partial',
      'blog-templates/only-module.hbs': 'only in module',
    });
    const app = makeApp();
    const client = app.testClient();
    expect((await client.get('/page/x')).text).toBe('module page module partial');
    writeTree(root, { 'templates/shared.hbs': 'app partial' });
    const fresh = makeApp().testClient();
    expect((await fresh.get('/page/x')).text).toBe('module page app partial');
    writeTree(root, { 'templates/page.hbs': 'app page' });
    expect((await makeApp().testClient().get('/page/x')).text).toBe('app page');
    expect((await fresh.get('/any/only-module.hbs')).text).toBe('only in module');
  });

  it('looks in module folders in registration order, after the app folder', async () => {
    writeTree(root, {
      'blog-templates/both.hbs': 'from blog',
      'shop-templates/both.hbs': 'from shop',
      'shop-templates/shop-only.hbs': 'shop only',
    });
    const blogFirst = createApp({
      root,
      modules: [BlogModule, ShopModule],
      config: { TESTING: true },
      env: false,
    }).testClient();
    const shopFirst = createApp({
      root,
      modules: [ShopModule, BlogModule],
      config: { TESTING: true },
      env: false,
    }).testClient();
    expect((await blogFirst.get('/any/both.hbs')).text).toBe('from blog');
    expect((await shopFirst.get('/any/both.hbs')).text).toBe('from shop');
    expect((await blogFirst.get('/any/shop-only.hbs')).text).toBe('shop only');
    writeTree(root, { 'templates/both.hbs': 'from the app' });
    expect(
      (
        await createApp({
          root,
          modules: [ShopModule, BlogModule],
          config: { TESTING: true },
          env: false,
        })
          .testClient()
          .get('/any/both.hbs')
      ).text,
    ).toBe('from the app');
  });

  it('reloads a changed template in debug mode', async () => {
    writeTree(root, { 'templates/page.hbs': 'one {{name}}' });
    const client = makeApp({ DEBUG: true }).testClient();
    expect((await client.get('/page/a')).text).toBe('one a');
    writeTree(root, { 'templates/page.hbs': 'second version {{name}}' });
    expect((await client.get('/page/a')).text).toBe('second version a');
  });

  it('reloads a changed partial in debug mode, and keeps the cache otherwise', async () => {
    writeTree(root, { 'templates/page.hbs': '{{> item}}', 'templates/item.hbs': 'v1' });
    const debug = makeApp({ DEBUG: true }).testClient();
    const cached = makeApp().testClient();
    expect((await debug.get('/page/a')).text).toBe('v1');
    expect((await cached.get('/page/a')).text).toBe('v1');
    writeTree(root, { 'templates/item.hbs': 'version 2' });
    expect((await debug.get('/page/a')).text).toBe('version 2');
    expect((await cached.get('/page/a')).text).toBe('v1');
  });

  it('names the folders searched when a template is missing', async () => {
    const app = makeApp();
    const engine = await engineOf(app);
    expect(() => engine.render('nope.hbs')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_VIEW_NOT_FOUND',
        message: expect.stringContaining(join(root, 'templates')) as string,
      }) as Error,
    );
    expect(() => engine.render('nope.hbs')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(join(root, 'blog-templates')) as string,
      }) as Error,
    );
    const res = await app.testClient().get('/page/x', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(500);
  });

  it('names the page that uses a missing partial, and stops layout cycles', async () => {
    writeTree(root, {
      'templates/uses.hbs': '{{> ghost}}',
      'templates/a.hbs': '{{!< b}}a',
      'templates/b.hbs': '{{!< a}}b',
    });
    const engine = await engineOf(makeApp());
    expect(() => engine.render('uses.hbs')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_VIEW_NOT_FOUND',
        message: expect.stringMatching(/"ghost".*"uses\.hbs"/) as string,
      }) as Error,
    );
    expect(() => engine.render('a.hbs')).toThrow(
      expect.objectContaining({ code: 'FLAGON_VIEW_TEMPLATE_ERROR' }) as Error,
    );
  });

  it('names the template and line of a syntax error and of a missing helper', async () => {
    writeTree(root, {
      'templates/bad.hbs': 'line one\n{{#if x}}\nunclosed',
      'templates/helper.hbs': 'a\nb\n{{nope 1}}',
    });
    const app = makeApp();
    const engine = await engineOf(app);
    expect(() => engine.render('bad.hbs')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_VIEW_TEMPLATE_ERROR',
        message: expect.stringMatching(/"bad\.hbs".*line \d/s) as string,
      }) as Error,
    );
    expect(() => engine.render('helper.hbs')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_VIEW_RENDER_FAILED',
        message: expect.stringMatching(/"helper\.hbs".*nope.*line 3/s) as string,
      }) as Error,
    );
  });

  it('escapes {{ }} always and lets {{{ }}} through', async () => {
    writeTree(root, { 'templates/escape.hbs': '{{value}}|{{{value}}}' });
    const res = await makeApp().testClient().get('/any/escape.hbs');
    expect(res.text).toBe('&lt;script&gt;alert(1)&lt;/script&gt;|<script>alert(1)</script>');
  });

  it('does not expose prototype properties', async () => {
    writeTree(root, {
      'templates/proto.hbs':
        '[{{constructor}}][{{__proto__}}][{{constructor.name}}][{{value.constructor.name}}][{{#with value}}{{constructor}}{{/with}}][{{lookup this "constructor"}}][{{lookup value "__proto__"}}][{{value.__defineGetter__}}]',
    });
    const res = await makeApp().testClient().get('/any/proto.hbs');
    expect(res.status).toBe(200);
    expect(res.text).toBe('[][][][][][][][]');
  });

  it('json embeds data safely in a script', async () => {
    writeTree(root, { 'templates/json.hbs': '<script>var d = {{json data}};</script>' });
    const res = await makeApp().testClient().get('/any/json.hbs');
    expect(res.text).toBe(
      '<script>var d = {"html":"\\u003c/script\\u003e\\u003c!--","line":"\\u2028"};</script>',
    );
    expect(JSON.parse(res.text.slice('<script>var d = '.length, -';</script>'.length))).toEqual({
      html: '</script><!--',
      line: '\u2028',
    });
  });

  it('urlFor builds URLs from endpoints and hash params; static adds a content hash', async () => {
    writeTree(root, {
      'templates/urls.hbs':
        '{{urlFor "blog.PageController.page" name="a b" q="1&2"}}|{{static "css/app.css"}}|{{static "missing.css"}}|{{static "logo.svg" module="blog"}}',
      'static/css/app.css': 'body{}',
      'blog-static/logo.svg': '<svg/>',
    });
    const res = await makeApp().testClient().get('/any/urls.hbs');
    // Handlebars escapes `=` too (&#x3D;): harmless in attributes, and URLs stay escaped like any value.
    expect(res.text).toMatch(
      /^\/page\/a%20b\?q&#x3D;1%262\|\/static\/css\/app\.css\?v&#x3D;[0-9a-f]{10}\|\/static\/missing\.css\|\/static\/blog\/logo\.svg\?v&#x3D;[0-9a-f]{10}$/,
    );
  });
});

describe('helpers, globals and context processors', () => {
  it('lets the app and extension modules contribute, in order globals < processors < context', async () => {
    writeTree(root, {
      'templates/ctx.hbs': '{{site}}|{{user}}|{{value}}|{{shout "hey"}}|{{csrfField}}|{{ext}}',
    });
    @Module({})
    class ExtensionModule implements OnInit {
      constructor(private readonly views: ViewEngine) {}
      onInit(): void {
        this.views
          .registerHelper('csrfField', () => 'CSRF')
          .registerGlobal('ext', 'from extension');
      }
    }
    const app = createApp({
      root,
      modules: [BlogModule, ExtensionModule],
      config: { TESTING: true },
      env: false,
      views: {
        helpers: { shout: (text) => `${String(text).toUpperCase()}!` },
        globals: { site: 'Flagon', user: 'global', value: 'global' },
        contextProcessors: [(req) => ({ user: `visitor from ${req.path}`, value: 'processor' })],
      },
    });
    const res = await app.testClient().get('/any/ctx.hbs');
    expect(res.text).toBe(
      'Flagon|visitor from /any/ctx.hbs|&lt;script&gt;alert(1)&lt;/script&gt;|HEY!|CSRF|from extension',
    );
  });

  it('takes helpers registered through viewEngineOf(app) before init, and works with @Render above @Get', async () => {
    writeTree(root, { 'templates/early.hbs': '{{early}}' });
    @Route('/early')
    class EarlyController {
      @Render('early.hbs')
      @Get('/')
      index(): object {
        return {};
      }
    }
    @Module({ controllers: [EarlyController] })
    class EarlyModule {}
    const app = createApp({ root, modules: [EarlyModule], config: { TESTING: true }, env: false });
    viewEngineOf(app).registerHelper('early', () => 'registered before init');
    expect((await app.testClient().get('/early/')).text).toBe('registered before init');
  });

  it('gives every app its own Handlebars environment', async () => {
    writeTree(root, { 'templates/h.hbs': '{{who}}' });
    const one = createApp({
      root,
      modules: [BlogModule],
      config: { TESTING: true },
      env: false,
      views: { helpers: { who: () => 'one' } },
    });
    const two = makeApp();
    expect((await one.testClient().get('/any/h.hbs')).text).toBe('one');
    expect((await two.testClient().get('/any/h.hbs')).text).toBe('');
  });
});

describe('error pages', () => {
  it('renders the built-in 404 page for browsers and JSON for API clients', async () => {
    const client = makeApp().testClient();
    const html = await client.get('/missing', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(404);
    expect(html.text).toContain('<h1>Not Found</h1>');
    const json = await client.get('/missing', { headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ error: 'not_found' });
  });

  it("uses the app's own errors/404.hbs, and errors/default.hbs for other statuses", async () => {
    writeTree(root, {
      'templates/errors/404.hbs': 'custom {{status}}',
      'templates/errors/default.hbs': 'default {{status}}',
    });
    const client = makeApp().testClient();
    expect((await client.get('/missing', { headers: { accept: 'text/html' } })).text).toBe(
      'custom 404',
    );
    const bad = await client.get('/bad', { headers: { accept: 'text/html' } });
    expect([bad.status, bad.text]).toEqual([400, 'default 400']);
    const notAllowed = await client.post('/async', { headers: { accept: 'text/html' } });
    expect([notAllowed.status, notAllowed.headers['allow']]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect(notAllowed.text).toContain('<h1>Method Not Allowed</h1>');
  });

  it('shows no stack trace outside debug', async () => {
    writeTree(root, { 'templates/page.hbs': '{{nope 1}}' });
    const prod = await makeApp()
      .testClient()
      .get('/page/x', { headers: { accept: 'text/html' } });
    expect(prod.status).toBe(500);
    expect(prod.text).not.toContain('<pre>');
    expect(prod.text).not.toContain('nope');
    const debug = await makeApp({ DEBUG: true })
      .testClient()
      .get('/page/x', { headers: { accept: 'text/html' } });
    expect(debug.text).toContain('<pre>');
  });
});
