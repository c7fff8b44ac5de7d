import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DOCS_ASSETS, docsAssetPath, renderDocsPage } from '../../src/openapi/docs-page';

describe('renderDocsPage', () => {
  const page = renderDocsPage({
    title: 'Blog <API>',
    documentUrl: '/openapi.json',
    assetsUrl: '/docs/',
    connectOrigins: ['https://api.example.com'],
  });

  it('allows its one inline script by hash, and nothing inline besides', () => {
    const scripts = [...page.html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64');
    expect(page.contentSecurityPolicy).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(page.html).not.toMatch(/<style|style=/);
  });

  it('points at the document and at assets under the docs path', () => {
    expect(page.html).toContain('"url":"/openapi.json"');
    expect(page.html).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(page.html).toContain('<link rel="stylesheet" href="/docs/swagger-ui.css">');
  });

  it('escapes the title and lets "Try it out" reach the servers’ origins only', () => {
    expect(page.html).toContain('<title>Blog &#60;API&#62;</title>');
    expect(page.contentSecurityPolicy).toContain("connect-src 'self' https://api.example.com");
    expect(page.contentSecurityPolicy).toContain("default-src 'none'");
  });

  it('keeps a document URL from closing the script element', () => {
    const tricky = renderDocsPage({ title: 't', documentUrl: '/x</script><b>', assetsUrl: '/d' });
    expect(tricky.html).not.toContain('</script><b>');
  });

  it('finds every asset in the installed swagger-ui-dist', () => {
    for (const asset of DOCS_ASSETS) expect(existsSync(docsAssetPath(asset))).toBe(true);
  });
});
