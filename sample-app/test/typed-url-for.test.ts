import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { endpointDeclaration } from 'flagon';
import { createBlogApp } from '../app';

jest.setTimeout(180_000);

const SAMPLE = join(__dirname, '..');
const DECLARATION = join(SAMPLE, 'endpoints.d.ts');

/** The sample's own compiler settings (sample-app/tsconfig.build.json), without output. */
function sampleCompilerOptions(): ts.CompilerOptions {
  const configPath = join(SAMPLE, 'tsconfig.build.json');
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)) as {
    config: unknown;
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, SAMPLE, undefined, configPath);
  // rootDir is the build's; the snippets checked here live in a temporary folder.
  return { ...parsed.options, noEmit: true, rootDir: undefined };
}

/** The line (1-based) of every error the compiler reports in `file`. */
function errorLines(program: ts.Program, file: string): number[] {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  return ts
    .getPreEmitDiagnostics(program, source)
    .map((diagnostic) => source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1);
}

describe("the sample app's typed urlFor", () => {
  let folder: string;
  let program: ts.Program;
  const right = (): string => join(folder, 'right.ts');
  const wrong = (): string => join(folder, 'wrong.ts');

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'flaskr-url-for-'));
    writeFileSync(
      right(),
      [
        "import { urlFor } from 'flagon';",
        "export const show: string = urlFor('api.PostApiController.show', { id: 3 });",
        "export const edit: string = urlFor('blog.BlogController.updatePage', { id: 3, next: '/' });",
        "export const index: string = urlFor('blog.BlogController.index');",
        '',
      ].join('\n'),
    );
    writeFileSync(
      wrong(),
      [
        "import { urlFor } from 'flagon';",
        "urlFor('blog.PostController.show', { id: 3 });",
        "urlFor('api.PostApiController.show');",
        "urlFor('api.PostApiController.show', { id: '3' });",
        "urlFor('api.PostApiController.show', { slug: 3 });",
        '',
      ].join('\n'),
    );
    program = ts.createProgram({
      rootNames: [DECLARATION, join(SAMPLE, 'main.ts'), right(), wrong()],
      options: sampleCompilerOptions(),
    });
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is the declaration `flagon routes --types` writes for the app today', async () => {
    const app = createBlogApp({
      databaseUrl: 'sqlite::memory:',
      config: { TESTING: true },
      env: false,
    });
    expect(readFileSync(DECLARATION, 'utf8')).toBe(endpointDeclaration(app.routes()));
    await app.close();
  });

  it("compiles the sample app's own urlFor calls and right calls", () => {
    const sampleErrors = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName.startsWith(SAMPLE) === true)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(sampleErrors).toEqual([]);
    expect(errorLines(program, right())).toEqual([]);
  });

  it('refuses an unknown endpoint, a missing variable and a mistyped one', () => {
    expect(errorLines(program, wrong())).toEqual([2, 3, 4, 5]);
  });
});
