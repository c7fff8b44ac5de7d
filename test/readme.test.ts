import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The repository's own pages: README.md as a landing page, docs/ one page per topic, a short
// BENCHMARKS.md. Their TypeScript samples are checked by docs-samples.test.ts.
const repo = join(__dirname, '..');
const read = (page: string): string => readFileSync(join(repo, page), 'utf8');
const readme = read('README.md');
const docsPages = readdirSync(join(repo, 'docs'))
  .filter((file) => file.endsWith('.md'))
  .map((file) => `docs/${file}`);

const TOPICS = [
  'getting-started',
  'routing',
  'modules-and-di',
  'validation',
  'views',
  'security',
  'testing',
  'cli',
  'configuration',
  'deployment',
  'extensions',
  'design',
  'errors',
  'api',
  'database',
];

function relativeLinks(page: string): string[] {
  const text = read(page).replace(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('README.md', () => {
  it('starts with the two commands that work on a fresh machine', () => {
    const top = readme.split('\n').slice(0, 8).join('\n');
    expect(top).toContain('npm ci && npm run sample');
    expect(top).toContain('npm ci && npm test');
  });

  it('is a landing page of at most 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });

  it('links the docs index and every topic page', () => {
    const linked = new Set(relativeLinks('README.md'));
    expect(linked).toContain('docs/README.md');
    expect(TOPICS.filter((topic) => !linked.has(`docs/${topic}.md`))).toEqual([]);
  });
});

describe('docs/', () => {
  it('has one page per topic, each listed in the index', () => {
    const index = new Set(relativeLinks('docs/README.md').map((target) => `docs/${target}`));
    expect(TOPICS.filter((topic) => !index.has(`docs/${topic}.md`))).toEqual([]);
    expect(docsPages.filter((page) => page !== 'docs/README.md' && !index.has(page))).toEqual([]);
  });

  it('links only files that exist', () => {
    const pages = ['README.md', 'BENCHMARKS.md', 'CONTRIBUTING.md', 'DEVELOPERS.md', ...docsPages];
    const broken = pages.flatMap((page) =>
      relativeLinks(page)
        .filter((target) => !existsSync(join(repo, dirname(page), target)))
        .map((target) => `${page} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('cites only files that exist in CONTRIBUTING.md and DEVELOPERS.md', () => {
    const cited = ['CONTRIBUTING.md', 'DEVELOPERS.md'].flatMap((page) =>
      [...read(page).matchAll(/`((?:[\w.-]+\/)+[\w.-]+\.[a-z]+)`/g)].map((match) => ({
        page,
        file: match[1] ?? '',
      })),
    );
    expect(cited.length).toBeGreaterThan(5);
    const missing = cited.filter(({ file }) => !existsSync(join(repo, file)));
    expect(missing.map(({ page, file }) => `${page} → ${file}`)).toEqual([]);
  });

  it('documents every config key (FlagonSettings and the keys areas read) in the configuration reference', () => {
    const settings = read('src/config/config.ts');
    const keys = new Set(
      [...settings.matchAll(/^ {2}([A-Z][A-Z_]+): /gm)].map((match) => match[1] ?? ''),
    );
    const sources = readdirSync(join(repo, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts'),
    );
    for (const file of sources) {
      const text = readFileSync(join(repo, 'src', file), 'utf8');
      for (const match of text.matchAll(
        /(?:\.get|setting)(?:<[^>]*>)?\((?:config, )?'([A-Z][A-Z_]+)'/g,
      ))
        keys.add(match[1] ?? '');
    }
    expect(keys.size).toBeGreaterThan(40);
    const reference = read('docs/configuration.md');
    expect([...keys].filter((key) => !reference.includes(`\`${key}\``))).toEqual([]);
  });
});

describe('BENCHMARKS.md', () => {
  const benchmarks = read('BENCHMARKS.md');

  it('is a report of at most 250 lines, its history kept in docs/performance-notes.md', () => {
    expect(benchmarks.split('\n').length).toBeLessThanOrEqual(250);
    expect(relativeLinks('BENCHMARKS.md')).toContain('docs/performance-notes.md');
  });

  it('names no issue numbers or run letters', () => {
    expect(benchmarks).not.toMatch(/issue[ -]?#?\d+|#\d+\b|\brun [A-Z]\b/i);
  });
});
