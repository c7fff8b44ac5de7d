import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoredFile } from '../../../src/http/upload/stored-file';

describe('StoredFile.saveTo', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-stored-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function stored(originalName: string): StoredFile {
    const path = join(dir, 'tmp.upload');
    writeFileSync(path, 'data');
    return new StoredFile('f', originalName, 'text/plain', 'text/plain', 4, path);
  }

  it('moves the file under its secure name, creating the folder', async () => {
    const target = await stored('../my file.txt').saveTo(join(dir, 'out'));
    expect(target).toBe(join(dir, 'out', 'my_file.txt'));
    expect(readFileSync(target, 'utf8')).toBe('data');
    expect(existsSync(join(dir, 'tmp.upload'))).toBe(false);
  });

  it('uses a given name as a name only, never as a path', async () => {
    const target = await stored('a.txt').saveTo(join(dir, 'out'), '../../escape.txt');
    expect(target).toBe(join(dir, 'out', 'escape.txt'));
  });
});
