import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repo = join(__dirname, '..', '..');
const depcruise = join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Runs `npm run lint:layers`'s check on a project made of `files`; returns its exit code and output. */
function checkLayers(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flagon-layers-'));
  try {
    copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.build.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src'] }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(
      process.execPath,
      [depcruise, 'src', '--config', '.dependency-cruiser.cjs'],
      { cwd: dir, encoding: 'utf8' },
    );
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the layering check (npm run lint:layers)', () => {
  it('fails on a cycle between folders even when no file imports itself back', () => {
    const result = checkLayers({
      'src/low/a.ts': "import { b } from '../high/b';\nexport const a = (): number => b + 1;\n",
      'src/high/b.ts': "import { c } from '../low/c';\nexport const b = c;\n",
      'src/low/c.ts': 'export const c = 1;\n',
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-folder-cycle');
  });

  it('fails on a cycle between files', () => {
    const result = checkLayers({
      'src/x/a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
      'src/x/b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-file-cycle');
  });

  it('leaves type-only imports out, as the compiled code does', () => {
    const result = checkLayers({
      'src/low/a.ts':
        "import type { B } from '../high/b';\nexport const a = (b: B): number => b.n;\n",
      'src/high/b.ts':
        "import { a } from '../low/a';\nexport interface B { n: number }\nexport const f = a;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });
});
