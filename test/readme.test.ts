import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

// Every ```ts sample in README.md must compile against src (the tsconfig maps 'flagon' to
// src/index.ts): each sample is its own module, checked with the repo's strict options.
const repo = join(__dirname, '..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

interface Sample {
  readonly line: number;
  readonly code: string;
}

function extractSamples(markdown: string): Sample[] {
  const samples: Sample[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    samples.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[1] ?? '' });
  }
  return samples;
}

function typeCheck(samples: readonly Sample[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(repo, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error('cannot read tsconfig.json');
  const files = new Map(
    samples.map((sample) => [
      join(repo, 'readme-samples', `line-${sample.line}.ts`),
      `${sample.code}\nexport {};\n`,
    ]),
  );
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, language, onError) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, onError)
      : ts.createSourceFile(name, text, language);
  };
  // noUnusedLocals stays on: a sample importing what it never uses is a wrong sample.
  const program = ts.createProgram([...files.keys()], { ...parsed.options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
        : undefined;
    const file =
      diagnostic.file?.fileName.replace(/.*line-(\d+)\.ts$/, 'README.md sample at line $1') ?? '';
    return `${file}${where ? ` (+${where.line + 1})` : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

describe('README.md', () => {
  const samples = extractSamples(readme);

  it('has TypeScript samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });

  it('has samples that all compile against src', () => {
    expect(typeCheck(samples)).toEqual([]);
  }, 120_000);

  it('starts with the two commands that work on a fresh machine', () => {
    const top = readme.split('\n').slice(0, 8).join('\n');
    expect(top).toContain('npm ci && npm run sample');
    expect(top).toContain('npm ci && npm test');
  });

  it('documents every config key (FlagonSettings and the keys areas read) in the configuration reference', () => {
    const settings = readFileSync(join(repo, 'src', 'config', 'config.ts'), 'utf8');
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
    const reference = readme.slice(readme.indexOf('### Configuration reference'));
    expect([...keys].filter((key) => !reference.includes(`\`${key}\``))).toEqual([]);
  });
});
