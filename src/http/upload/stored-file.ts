import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { secureFilename } from './secure-filename';
import type { UploadedFile } from '../uploaded-file';

/** An upload streamed to a temporary file; removed when the request ends unless saved. */
export class StoredFile implements UploadedFile {
  constructor(
    readonly fieldName: string,
    readonly originalName: string,
    readonly declaredType: string,
    readonly mimeType: string,
    readonly size: number,
    readonly path: string,
  ) {}

  secureFilename(): string {
    return secureFilename(this.originalName);
  }

  async saveTo(dir: string, name?: string): Promise<string> {
    // A caller-supplied name is trusted as a name, never as a path.
    const target = join(resolve(dir), name === undefined ? this.secureFilename() : basename(name));
    await mkdir(dir, { recursive: true });
    try {
      await rename(this.path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // The temp dir is on another filesystem: copy, and let the request's cleanup remove the original.
      await copyFile(this.path, target);
      await unlink(this.path).catch(() => undefined);
    }
    return target;
  }
}
