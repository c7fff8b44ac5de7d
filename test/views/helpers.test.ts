import { toScriptJson } from '../../src/views/helpers';
import { makeTestApp } from '../support/test-app';

describe('toScriptJson', () => {
  it('escapes characters that could end a script element or a JS string', () => {
    expect(toScriptJson({ a: '</script><!--&', b: '\u2028\u2029' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026","b":"\\u2028\\u2029"}',
    );
  });

  it('round-trips through JSON.parse', () => {
    const value = { html: '<b>&amp;</b>', list: [1, null, 'x'] };
    expect(JSON.parse(toScriptJson(value))).toEqual(value);
  });

  it('writes null for undefined', () => {
    expect(toScriptJson(undefined)).toBe('null');
  });
});

describe('safeHtml and escapeHtml', () => {
  it('escapes like {{ }} and marks built HTML as safe', async () => {
    const { Get, Module, render, Route, safeHtml, escapeHtml } = await import('../../src');
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'flagon-helpers-'));
    mkdirSync(join(root, 'templates'));
    writeFileSync(join(root, 'templates/badge.hbs'), '{{badge "<x>"}}|{{raw "<y>"}}');
    @Route('/')
    class BadgeController {
      @Get('/')
      index(): string {
        return render('badge.hbs');
      }
    }
    @Module({ controllers: [BadgeController] })
    class BadgeModule {}
    const app = makeTestApp(
      [BadgeModule],
      {},
      {
        root,
        views: {
          helpers: {
            badge: (text) => safeHtml(`<b>${escapeHtml(String(text))}</b>`),
            raw: (text) => `<i>${String(text)}</i>`,
          },
        },
      },
    );
    expect((await app.testClient().get('/')).text).toBe(
      '<b>&lt;x&gt;</b>|&lt;i&gt;&lt;y&gt;&lt;/i&gt;',
    );
    rmSync(root, { recursive: true, force: true });
  });
});
