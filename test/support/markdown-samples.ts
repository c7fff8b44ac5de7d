import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

import { REPO_ROOT } from './processes';

/**
 * A ```ts block of a Markdown page. The HTML comment right before it says what a test does with
 * it: `<!-- sample: run NAME -->` runs it and checks what its text claims under NAME,
 * `<!-- sample: module NAME -->` makes it the module `./NAME` that later samples of the same page
 * import, and `<!-- sample: fragment -->` (or no mark) only type-checks it.
 */
export interface MarkdownSample {
  /** The page, relative to the repository root (`docs/routing.md`). */
  readonly page: string;
  /** The line of the opening fence, counted from 1. */
  readonly line: number;
  readonly code: string;
  /** The NAME of `<!-- sample: run NAME -->`, or undefined for a sample only type-checked. */
  readonly runName: string | undefined;
  /** The NAME of `<!-- sample: module NAME -->`: other samples of the page import `./NAME`. */
  readonly moduleName: string | undefined;
  /** Whether a `<!-- sample: … -->` mark precedes it. */
  readonly isMarked: boolean;
}

const FENCE =
  /(?:<!-- sample: (run [\w-]+|module [\w-]+|fragment) -->\n)?^```ts\n([\s\S]*?)^```$/gm;

/** Every ```ts sample of a page, with its mark. */
export function extractSamples(page: string): MarkdownSample[] {
  const markdown = readFileSync(join(REPO_ROOT, page), 'utf8');
  const samples: MarkdownSample[] = [];
  for (let match = FENCE.exec(markdown); match; match = FENCE.exec(markdown)) {
    const mark = match[1];
    const fenceAt = match.index + (mark === undefined ? 0 : match[0].indexOf('```ts'));
    samples.push({
      page,
      line: markdown.slice(0, fenceAt).split('\n').length,
      code: match[2] ?? '',
      runName: mark?.startsWith('run ') ? mark.slice(4) : undefined,
      moduleName: mark?.startsWith('module ') ? mark.slice(7) : undefined,
      isMarked: mark !== undefined,
    });
  }
  return samples;
}

// One folder per page, so that `./NAME` resolves to the page's `module NAME` sample.
function virtualFileName(sample: MarkdownSample): string {
  const folder = join(REPO_ROOT, 'markdown-samples', sample.page.replace(/[^\w]+/g, '-'));
  return join(folder, `${sample.moduleName ?? `line-${sample.line}`}.ts`);
}

function readCompilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error('cannot read tsconfig.json');
  return parsed.options;
}

// A sample that augments 'flagon' (a generated `Endpoints` declaration) changes the package's
// types for every file of its program, so its page is checked in a program of its own.
const AUGMENTS_FLAGON = /^declare module 'flagon'/m;

/**
 * Type-checks each sample as its own module with the repository's strict options ('flagon'
 * maps to src/index.ts) and returns one line per diagnostic, naming the page and line.
 */
export function typeCheckSamples(samples: readonly MarkdownSample[]): string[] {
  const augmenting = new Set(
    samples.filter((sample) => AUGMENTS_FLAGON.test(sample.code)).map((sample) => sample.page),
  );
  const shared = samples.filter((sample) => !augmenting.has(sample.page));
  return [shared, ...[...augmenting].map((page) => samples.filter((s) => s.page === page))]
    .filter((group) => group.length > 0)
    .flatMap((group) => typeCheckTogether(group));
}

function typeCheckTogether(samples: readonly MarkdownSample[]): string[] {
  const options = readCompilerOptions();
  const files = new Map(samples.map((sample) => [virtualFileName(sample), sample]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const textOf = (name: string): string | undefined => {
    const sample = files.get(name);
    return sample === undefined ? undefined : `${sample.code}\nexport {};\n`;
  };
  host.readFile = (name) => textOf(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const folders = new Set([...files.keys()].map((name) => dirname(name)));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => folders.has(name) || (directoryExists?.(name) ?? false);
  host.getSourceFile = (name, language, onError) => {
    const text = textOf(name);
    return text === undefined
      ? getSourceFile(name, language, onError)
      : ts.createSourceFile(name, text, language);
  };
  // noUnusedLocals stays on: a sample importing what it never uses is a wrong sample.
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const sample = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined;
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
        : 0;
    const place = sample
      ? `${sample.page}:${sample.line + where}`
      : relative(REPO_ROOT, diagnostic.file?.fileName ?? '');
    return `${place}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

/**
 * Runs a sample as a CommonJS module and returns its exports. `require` is the caller's, so
 * 'flagon' is the same src/index.ts the test imports (jest maps it) and decorator metadata is
 * emitted as ts-jest emits it.
 */
export function runSample(
  sample: MarkdownSample,
  requireFromTest: (id: string) => unknown,
): Record<string, unknown> {
  const { outputText } = ts.transpileModule(sample.code, {
    compilerOptions: { ...readCompilerOptions(), noEmit: false, sourceMap: false },
    fileName: virtualFileName(sample),
  });
  const module = { exports: {} as Record<string, unknown> };
  // A function of this realm (Jest's), so the sample's classes and arrays are the test's own;
  // node:vm would run it in another realm.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const evaluate = new Function('require', 'module', 'exports', '__dirname', outputText) as (
    require: (id: string) => unknown,
    module: { exports: Record<string, unknown> },
    exports: Record<string, unknown>,
    dirname: string,
  ) => void;
  evaluate(requireFromTest, module, module.exports, join(REPO_ROOT, 'markdown-samples'));
  return module.exports;
}
