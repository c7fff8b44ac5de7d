import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { Get, Module, Param, Route } from '../../src';
import { endpointDeclaration } from '../../src/cli/endpoint-declaration';
import { makeTestApp } from '../support/test-app';

@Route('/posts')
class PostController {
  @Get('/')
  list(): object {
    return {};
  }

  @Get('/<int:id>')
  show(@Param('id') id: number): object {
    return { id };
  }

  @Get('/<uuid:key>/files/<path:rest>')
  file(): object {
    return {};
  }
}

@Module({ controllers: [PostController] })
class BlogModule {}

const ROOT = join(__dirname, '..', '..');

/** Calls that must compile in every project, and one per line that a typed project must refuse. */
const GOOD = `import { createApp, urlFor } from 'flagon';
export const a: string = urlFor('blog.PostController.show', { id: 3 });
export const b: string = urlFor('blog.PostController.list');
export const c: string = urlFor('blog.PostController.list', { page: 2 });
export const d: string = urlFor('blog.PostController.show', { id: 3, q: 'x' }, { anchor: 'top' });
export const e: string = createApp({ modules: [] }).urlFor('blog.PostController.file', {
  key: '3b241101-e2bb-4255-8caf-4136c566a962',
  rest: 'a/b',
});
`;
const WRONG = [
  "urlFor('blog.PostController.shwo', { id: 3 });",
  "urlFor('blog.PostController.show', { id: '3' });",
  "urlFor('blog.PostController.show');",
  "urlFor('blog.PostController.show', { page: 1 });",
  "createApp({ modules: [] }).urlFor('blog.PostController.file', { rest: 'a' });",
];

/** Type-checks the calls (and the declaration, when given) against this checkout's src. */
function compile(folder: string, declaration: string | undefined): Map<string, number[]> {
  writeFileSync(join(folder, 'good.ts'), GOOD);
  writeFileSync(
    join(folder, 'wrong.ts'),
    `import { createApp, urlFor } from 'flagon';\n${WRONG.join('\n')}\n`,
  );
  const files = [join(folder, 'good.ts'), join(folder, 'wrong.ts')];
  if (declaration !== undefined) {
    writeFileSync(join(folder, 'endpoints.d.ts'), declaration);
    files.push(join(folder, 'endpoints.d.ts'));
  }
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    baseUrl: folder,
    paths: { flagon: [join(ROOT, 'src', 'index.ts')], '*': [join(ROOT, 'node_modules', '*')] },
  });
  const errors = new Map<string, number[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file;
    if (!file) throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    const line = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1;
    const name = file.fileName.startsWith(folder)
      ? file.fileName.slice(folder.length + 1)
      : file.fileName;
    errors.set(name, [...(errors.get(name) ?? []), line]);
  }
  return errors;
}

describe('typed urlFor', () => {
  let folder: string;
  const app = makeTestApp([BlogModule]);

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'flagon-typed-url-for-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  afterAll(() => app.close());

  it('writes each endpoint with its variables typed by converter', () => {
    const declaration = endpointDeclaration(app.routes());
    expect(declaration).toContain("declare module 'flagon' {");
    expect(declaration).toContain('"blog.PostController.list": object;');
    expect(declaration).toContain('"blog.PostController.show": { id: number };');
    expect(declaration).toContain('"blog.PostController.file": { key: string; rest: string };');
  });

  it('takes any endpoint string in a project without the declaration', () => {
    expect(compile(folder, undefined)).toEqual(new Map());
  }, 120_000);

  it('refuses unknown endpoints and missing or mistyped variables with the declaration', () => {
    const errors = compile(folder, endpointDeclaration(app.routes()));
    expect(errors.get('good.ts')).toBeUndefined();
    // One error on each line of WRONG (lines 2 onward: line 1 is the import).
    expect([...new Set(errors.get('wrong.ts'))]).toEqual(WRONG.map((_call, index) => index + 2));
    expect([...errors.keys()]).toEqual(['wrong.ts']);
  }, 120_000);
});
