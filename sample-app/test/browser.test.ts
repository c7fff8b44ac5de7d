import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FlagonApp } from 'flagon';
import { createBlogApp } from '../app';
import { Clock } from '../clock';

/** Debian's Chromium; `.ci/run` installs it (`apt-get install -y chromium`) when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

jest.setTimeout(90_000);

let app: FlagonApp | undefined;
let baseUrl: string;
let context: BrowserContext | undefined;
let page: Page;
let folder: string;

beforeAll(async () => {
  // A missing browser is a failure, never a skip: these tests are the only proof the UI works.
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does this)`,
    );
  folder = mkdtempSync(join(tmpdir(), 'flaskr-browser-'));
  app = createBlogApp({
    database: join(folder, 'blog.sqlite'),
    config: { TESTING: true },
    env: false,
  });
  app.override(Clock, { useValue: { now: () => new Date('2026-11-23T12:00:00Z') } });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;
  // A persistent context is how Playwright takes a --user-data-dir: a fresh one per run.
  context = await chromium.launchPersistentContext(join(folder, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1024, height: 768 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await app?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Clicks and waits until the page has loaded `path` (every step of the flow changes the path). */
async function clickTo(target: string | Locator, path: string): Promise<void> {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  await Promise.all([page.waitForURL((url) => url.pathname === path), locator.click()]);
}

async function submit(path: string, selector = 'form.card button[type=submit]'): Promise<void> {
  await clickTo(selector, path);
}

async function createPost(title: string, body: string): Promise<void> {
  await clickTo('nav >> text=New', '/create');
  await page.fill('#title', title);
  await page.fill('#body', body);
  await submit('/');
}

function editLink(title: string): Locator {
  return page.locator('article', { hasText: title }).locator('text=Edit');
}

it('registers, logs in, creates, edits and deletes a post, uploads an avatar and logs out', async () => {
  await page.goto(`${baseUrl}/`);
  expect(await page.textContent('nav')).toContain('Log In');

  await clickTo('nav >> text=Register', '/auth/register');
  await page.fill('#username', 'alice');
  await page.fill('#password', 'correct horse battery staple');
  await submit('/auth/login');
  expect(new URL(page.url()).pathname).toBe('/auth/login');
  expect(await page.textContent('.flash')).toContain('Registration complete');

  await page.fill('#username', 'alice');
  await page.fill('#password', 'correct horse battery staple');
  await submit('/');
  const nav = await page.textContent('nav');
  expect(nav).toContain('alice');
  expect(nav).toContain('Log Out');

  await createPost(
    'Hello from Flagon',
    "Flask's tutorial blog, ported to TypeScript.\nDecorators, DI and Handlebars.",
  );
  await createPost('A second post', 'Newest posts come first. <b>Markup</b> is shown as text.');
  expect(await page.locator('article h2').allTextContents()).toEqual([
    'A second post',
    'Hello from Flagon',
  ]);
  expect(await page.textContent('article')).toContain('by alice on 2026-11-23');

  await page.goto(`${baseUrl}/`); // without the one-time flash message
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'sample-index.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS, 'sample-index-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });

  const editPath = (await editLink('Hello from Flagon').getAttribute('href')) ?? '';
  await clickTo(editLink('Hello from Flagon'), editPath);
  await page.fill('#title', 'Hello again');
  await submit('/');
  expect(await page.locator('article h2').allTextContents()).toEqual([
    'A second post',
    'Hello again',
  ]);

  await clickTo(editLink('Hello again'), editPath);
  await submit('/', '.danger-zone button');
  expect(await page.locator('article h2').allTextContents()).toEqual(['A second post']);
  expect(await page.textContent('.flash')).toContain('Post deleted.');

  // The avatar form posts multipart with the X-CSRF-Token header (static/avatar.js), then reloads.
  await clickTo('nav >> text=alice', '/profile');
  expect(await page.locator('img.avatar').count()).toBe(0);
  await page.setInputFiles('#avatar', {
    name: 'me.png',
    mimeType: 'image/png',
    buffer: ONE_PIXEL_PNG,
  });
  await page.click('#avatar-form button');
  await page.waitForSelector('img.avatar');
  await page.waitForLoadState('load');
  expect(
    await page
      .locator('img.avatar')
      .evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
  ).toBe(1);
  await page.screenshot({ path: join(ARTIFACTS, 'sample-profile.png'), fullPage: true });

  await clickTo('nav >> text=Log Out', '/');
  const after = await page.textContent('nav');
  expect(after).toContain('Log In');
  expect(after).not.toContain('Log Out');
});
