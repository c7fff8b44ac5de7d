import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsString } from 'class-validator';
import { Body, createApp, Module, Post, Route, UploadedFile, UploadedFiles } from '../../src';
import { multipart } from '../support/multipart';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 1),
]);
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MULTIPART = { 'content-type': 'multipart/form-data; boundary=XyZ' };

class CaptionDto {
  @IsString() caption!: string;
}

let saveDir = '';

@Route('/')
class UploadController {
  @Post('avatar')
  avatar(
    @UploadedFile('avatar', { maxSize: 1024, mimeTypes: IMAGES }) avatar: UploadedFile,
  ): object {
    return {
      name: avatar.originalName,
      safe: avatar.secureFilename(),
      type: avatar.mimeType,
      declared: avatar.declaredType,
      size: avatar.size,
      field: avatar.fieldName,
      onDisk: readFileSync(avatar.path).length,
    };
  }

  @Post('optional')
  optional(@UploadedFile('doc', { optional: true }) doc: UploadedFile | undefined): object {
    return { hasDoc: doc !== undefined };
  }

  @Post('many')
  many(
    @UploadedFiles('photo') photos: UploadedFile[],
    @UploadedFiles() all: UploadedFile[],
    @Body() form: CaptionDto,
  ): object {
    return {
      photos: photos.map((file) => file.originalName),
      all: all.length,
      caption: form.caption,
    };
  }

  @Post('save')
  async save(@UploadedFile('file') file: UploadedFile): Promise<object> {
    const target = await file.saveTo(saveDir);
    return { saved: target };
  }

  @Post('fail')
  fail(@UploadedFile('file') file: UploadedFile): object {
    throw new Error(`handler failed on ${file.originalName}`);
  }
}

@Module({ controllers: [UploadController] })
class UploadModule {}

let uploadDir = '';
beforeEach(() => {
  uploadDir = mkdtempSync(join(tmpdir(), 'flagon-test-uploads-'));
  saveDir = mkdtempSync(join(tmpdir(), 'flagon-test-saved-'));
});
afterEach(() => {
  rmSync(uploadDir, { recursive: true, force: true });
  rmSync(saveDir, { recursive: true, force: true });
});

// These tests exercise body parsing; CSRF protection (on by default) has its own suite.
function client(config: Record<string, unknown> = {}) {
  return createApp({
    modules: [UploadModule],
    // A handler failing after an upload is under test: its 500 reaches the client, not the test.
    config: {
      TESTING: true,
      PROPAGATE_EXCEPTIONS: false,
      CSRF_ENABLED: false,
      UPLOAD_TEMP_DIR: uploadDir,
      ...config,
    },
    env: false,
  }).testClient();
}

function post(
  path: string,
  parts: Parameters<typeof multipart>[0],
  config?: Record<string, unknown>,
) {
  return client(config).post(path, { body: multipart(parts), headers: MULTIPART });
}

describe('@UploadedFile', () => {
  it('streams the file to disk and sniffs its type from its bytes', async () => {
    const res = await post('/avatar', [
      {
        name: 'avatar',
        value: PNG,
        filename: '../../my avatar.png',
        type: 'application/octet-stream',
      },
    ]);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      name: 'my avatar.png',
      safe: 'my_avatar.png',
      type: 'image/png',
      declared: 'application/octet-stream',
      size: PNG.length,
      field: 'avatar',
      onDisk: PNG.length,
    });
  });

  it('answers 400 for a type outside mimeTypes, even when declared as an image', async () => {
    const res = await post('/avatar', [
      { name: 'avatar', value: 'not really a png', filename: 'x.png', type: 'image/png' },
    ]);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'upload_type_not_allowed',
      mimeType: 'application/octet-stream',
    });
  });

  it('answers 413 over the decorator maxSize, naming it', async () => {
    const res = await post('/avatar', [
      {
        name: 'avatar',
        value: Buffer.concat([PNG, Buffer.alloc(2000)]),
        filename: 'big.png',
        type: 'image/png',
      },
    ]);
    expect(res.status).toBe(413);
    expect(res.json<{ limit: string }>().limit).toContain('maxSize');
  });

  it('accepts a file of exactly MAX_FILE_SIZE bytes and refuses one byte more', async () => {
    expect(
      (
        await post('/optional', [{ name: 'doc', value: Buffer.alloc(100), filename: 'a.bin' }], {
          MAX_FILE_SIZE: 100,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await post('/optional', [{ name: 'doc', value: Buffer.alloc(101), filename: 'a.bin' }], {
          MAX_FILE_SIZE: 100,
        })
      ).status,
    ).toBe(413);
  });

  it('answers 413 over MAX_FILE_SIZE', async () => {
    const res = await post(
      '/optional',
      [{ name: 'doc', value: Buffer.alloc(500), filename: 'a.bin' }],
      { MAX_FILE_SIZE: 100 },
    );
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FILE_SIZE' });
  });

  it('answers 413 over MAX_FILE_COUNT', async () => {
    const files = [1, 2, 3].map((n) => ({ name: 'photo', value: 'x', filename: `${n}.txt` }));
    const res = await post('/many', [{ name: 'caption', value: 'hi' }, ...files], {
      MAX_FILE_COUNT: 2,
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'MAX_FILE_COUNT' });
  });

  it('answers 400 when a required file is missing, and undefined when optional', async () => {
    expect((await post('/avatar', [{ name: 'other', value: 'x' }])).json()).toMatchObject({
      error: 'upload_missing',
    });
    expect((await post('/optional', [{ name: 'other', value: 'x' }])).json()).toEqual({
      hasDoc: false,
    });
  });

  it('answers 415 for a non-multipart body', async () => {
    expect((await client().post('/avatar', { json: { avatar: 'x' } })).status).toBe(415);
  });

  it('gives every file with @UploadedFiles next to validated fields', async () => {
    const res = await post('/many', [
      { name: 'caption', value: 'holiday' },
      { name: 'photo', value: 'a', filename: 'a.jpg' },
      { name: 'photo', value: 'b', filename: 'b.jpg' },
      { name: 'doc', value: 'c', filename: 'c.txt' },
    ]);
    expect(res.json()).toEqual({ photos: ['a.jpg', 'b.jpg'], all: 3, caption: 'holiday' });
  });

  it('moves the file with saveTo under its secure name', async () => {
    const res = await post('/save', [
      { name: 'file', value: 'content', filename: 'résumé final.txt' },
    ]);
    const saved = res.json<{ saved: string }>().saved;
    expect(saved).toBe(join(saveDir, 'resume_final.txt'));
    expect(readFileSync(saved, 'utf8')).toBe('content');
  });
});

describe('temp-file cleanup', () => {
  it('leaves the upload dir empty after the handler succeeds', async () => {
    expect(
      (await post('/avatar', [{ name: 'avatar', value: PNG, filename: 'a.png' }])).status,
    ).toBe(200);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('leaves the upload dir empty after the handler throws', async () => {
    expect(
      (await post('/fail', [{ name: 'file', value: 'x'.repeat(10_000), filename: 'a.txt' }]))
        .status,
    ).toBe(500);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('leaves the upload dir empty after a limit breach or a malformed body', async () => {
    expect(
      (await post('/avatar', [{ name: 'avatar', value: Buffer.alloc(5000), filename: 'big.png' }]))
        .status,
    ).toBe(413);
    expect(readdirSync(uploadDir)).toEqual([]);
    expect((await post('/many', [{ name: 'photo', value: 'a', filename: 'a.jpg' }])).status).toBe(
      400,
    );
    expect(readdirSync(uploadDir)).toEqual([]);
    const truncated = multipart([{ name: 'avatar', value: PNG, filename: 'a.png' }]).subarray(
      0,
      150,
    );
    expect((await client().post('/avatar', { body: truncated, headers: MULTIPART })).status).toBe(
      400,
    );
    expect(readdirSync(uploadDir)).toEqual([]);
  });
});
