import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Conventions of CONTRIBUTING.md that a reader of the code would otherwise have to police.
const repo = join(__dirname, '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repo, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('node_modules'))
    .map((file) => join(folder, file));
}

function commentLines(file: string): { line: number; text: string }[] {
  return readFileSync(join(repo, file), 'utf8')
    .split('\n')
    .map((text, index) => ({ line: index + 1, text: text.trim() }))
    .filter(({ text }) => text.startsWith('//') || text.startsWith('*') || text.startsWith('/*'));
}

describe('code hygiene', () => {
  const code = [...sourceFiles('src'), ...sourceFiles('sample-app'), ...sourceFiles('templates')];

  it('has at most one doc block before a declaration', () => {
    const stacked = code.flatMap((file) => {
      const lines = readFileSync(join(repo, file), 'utf8').split('\n');
      return lines.flatMap((text, index) => {
        const next = lines.slice(index + 1).find((candidate) => candidate.trim() !== '');
        const endsDocBlock = text.trim().endsWith('*/') && !text.trim().startsWith('//');
        return endsDocBlock && next?.trim().startsWith('/**') ? [`${file}:${index + 1}`] : [];
      });
    });
    expect(stacked).toEqual([]);
  });

  it('keeps measured figures out of comments in src/ (they belong in BENCHMARKS.md)', () => {
    const figure =
      /~ ?\d|\d+(\.\d+)? ?(ns|µs|KB|kB|KiB|MB)\b|\d+(\.\d+)? ?[x×] (faster|slower)|\d[\d,.]*k? instructions|\d+(\.\d+)? ?ms (of|per)\b|\d+(\.\d+)? ?% (faster|slower|fewer|more|of the)/;
    const found = sourceFiles('src').flatMap((file) =>
      commentLines(file)
        .filter(({ text }) => figure.test(text))
        .map(({ line, text }) => `${file}:${line}: ${text}`),
    );
    expect(found).toEqual([]);
  });

  it('has the scaffold import Flagon by its package name, never a path out of the project', () => {
    const scaffold = join(repo, 'templates', 'scaffold');
    const escaping = sourceFiles('templates/scaffold').flatMap((file) =>
      [...readFileSync(join(repo, file), 'utf8').matchAll(/from '(\.[^']*)'/g)]
        .map((match) => resolve(dirname(join(repo, file)), match[1] ?? ''))
        .filter((target) => !target.startsWith(`${scaffold}/`))
        .map((target) => `${file} → ${target}`),
    );
    expect(escaping).toEqual([]);
  });

  it('has the sample app and the templates import Flagon by its package name, never from src/', () => {
    const src = join(repo, 'src');
    const importOrRequire = /(?:from|import|require)\s*\(?\s*'(\.[^']*)'/g;
    const intoSrc = [...sourceFiles('sample-app'), ...sourceFiles('templates')].flatMap((file) =>
      [...readFileSync(join(repo, file), 'utf8').matchAll(importOrRequire)]
        .map((match) => resolve(dirname(join(repo, file)), match[1] ?? ''))
        .filter((target) => target === src || target.startsWith(`${src}/`))
        .map((target) => `${file} → ${target}`),
    );
    expect(intoSrc).toEqual([]);
  });
});
