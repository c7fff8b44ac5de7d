import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type busboy from 'busboy';
import { FlagonError } from '../../errors/flagon-error';
import { lazyRequire } from '../../util/lazy-require';
import { detectMimeType, SNIFF_BYTES } from '../upload/sniff-mime';
import { StoredFile } from '../upload/stored-file';
import type { BodyPlan } from './body-plan';
import { addField, type FormFields } from './form';
import { discardRest, tooLarge } from './read-body';

/** busboy, loaded by the first multipart body (apps without uploads never pay for it). */
const loadBusboy = lazyRequire<typeof busboy>('busboy', 'Multipart bodies');

/** A parsed multipart body: text fields plus files already on disk. */
export interface MultipartBody {
  readonly fields: FormFields;
  readonly files: readonly StoredFile[];
}

function overLimit(name: string, max: number, what: string): FlagonError {
  return new FlagonError('FLAGON_BODY_TOO_LARGE', `${what} exceeds ${name} (${max})`, {
    details: { limit: name, max },
  });
}

/**
 * Streams a `multipart/form-data` body through busboy: text fields into memory (each at most
 * MAX_FORM_MEMORY_SIZE), files straight to the upload temp dir, never whole in memory. Every
 * path written is pushed to `written` at once, so the request's cleanup removes it even when
 * parsing fails half-way. Each limit breach is a 413 naming it; a malformed body is a 400.
 * `source` is the request itself, or its buffer when something already read the stream.
 */
export function parseMultipart(
  raw: IncomingMessage,
  source: IncomingMessage | Buffer,
  plan: BodyPlan,
  written: string[],
): Promise<MultipartBody> {
  const declared = raw.headers['content-length'];
  if (declared !== undefined && Number(declared) > plan.maxContentLength) {
    discardRest(raw);
    return Promise.reject(tooLarge(plan.maxContentLength, plan.names.maxContentLength));
  }
  let parser: busboy.Busboy;
  try {
    parser = loadBusboy()({
      headers: raw.headers,
      defParamCharset: 'utf8',
      limits: {
        fieldSize: plan.maxFormMemorySize,
        fields: plan.maxFormParts,
        parts: plan.maxFormParts,
        files: plan.maxFileCount,
        // busboy stops a file when it reaches fileSize; one byte more lets a file of exactly the limit through.
        fileSize: plan.maxFileSize + 1,
      },
    });
  } catch (error) {
    discardRest(raw);
    return Promise.reject(
      new FlagonError(
        'FLAGON_BODY_MALFORMED',
        `Malformed multipart body: ${(error as Error).message}`,
        { cause: error },
      ),
    );
  }

  return new Promise((resolve, reject) => {
    const fields = Object.create(null) as FormFields;
    // One slot per file part, in body order: writes finish in any order, handlers expect form order.
    const files: (StoredFile | undefined)[] = [];
    const writes: Promise<void>[] = [];
    const open = new Set<WriteStream>();
    let received = 0;
    let isSettled = false;

    const fail = (error: FlagonError): void => {
      if (isSettled) return;
      isSettled = true;
      raw.off('data', onData);
      raw.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      for (const stream of open) stream.destroy();
      discardRest(raw);
      // Wait for the open files to close so cleanup can delete them.
      void Promise.allSettled(writes).then(() => reject(error));
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > plan.maxContentLength)
        fail(tooLarge(plan.maxContentLength, plan.names.maxContentLength));
    };

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        fail(
          overLimit(
            plan.names.maxFormMemorySize,
            plan.maxFormMemorySize,
            `Form field "${name.slice(0, 100)}"`,
          ),
        );
        return;
      }
      addField(fields, name, value);
    });

    parser.on('file', (fieldName, stream, info) => {
      if (isSettled) {
        stream.resume();
        return;
      }
      const rule = plan.uploads.get(fieldName);
      const slot = files.push(undefined) - 1;
      const path = join(plan.tempDir(), `${randomUUID()}.upload`);
      written.push(path);
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      open.add(out);
      let size = 0;
      let head = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (head.length < SNIFF_BYTES)
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        if (rule?.maxSize !== undefined && size > rule.maxSize) {
          fail(
            overLimit(
              `maxSize of @UploadedFile('${fieldName}')`,
              rule.maxSize,
              `File "${fieldName}"`,
            ),
          );
        }
      });
      // busboy errors the part stream too on a truncated body; the parser's own error reports it.
      stream.on('error', () => undefined);
      stream.on('limit', () =>
        fail(overLimit(plan.names.maxFileSize, plan.maxFileSize, `File "${fieldName}"`)),
      );
      writes.push(
        new Promise<void>((done) => {
          out.on('close', () => {
            open.delete(out);
            done();
          });
          out.on('error', (error) => {
            fail(
              new FlagonError(
                'FLAGON_HTTP_INTERNAL_SERVER_ERROR',
                `Could not store an upload: ${error.message}`,
                { cause: error },
              ),
            );
          });
          out.on('finish', () => {
            if (isSettled) return;
            const mimeType = detectMimeType(head, info.mimeType);
            if (rule?.mimeTypes && !rule.mimeTypes.includes(mimeType)) {
              fail(
                new FlagonError(
                  'FLAGON_UPLOAD_TYPE_NOT_ALLOWED',
                  `File "${fieldName}" is ${mimeType}; allowed: ${rule.mimeTypes.join(', ')}`,
                  { details: { field: fieldName, mimeType, allowed: rule.mimeTypes } },
                ),
              );
              return;
            }
            files[slot] = new StoredFile(
              fieldName,
              info.filename ?? '',
              info.mimeType,
              mimeType,
              size,
              path,
            );
          });
        }),
      );
      stream.pipe(out);
    });

    parser.on('filesLimit', () =>
      fail(overLimit(plan.names.maxFileCount, plan.maxFileCount, 'Number of files')),
    );
    parser.on('partsLimit', () =>
      fail(overLimit(plan.names.maxFormParts, plan.maxFormParts, 'Number of form parts')),
    );
    parser.on('fieldsLimit', () =>
      fail(overLimit(plan.names.maxFormParts, plan.maxFormParts, 'Number of form fields')),
    );
    parser.on('error', (error: Error) =>
      fail(
        new FlagonError('FLAGON_BODY_MALFORMED', `Malformed multipart body: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        if (isSettled) return;
        isSettled = true;
        resolve({ fields, files: files.filter((file): file is StoredFile => file !== undefined) });
      });
    });
    if (Buffer.isBuffer(source)) {
      onData(source);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- onData() may have settled it (through fail()); TypeScript does not see assignments in callbacks
      if (!isSettled) parser.end(source);
      return;
    }
    raw.on('aborted', () =>
      fail(new FlagonError('FLAGON_BODY_ABORTED', 'The client aborted the multipart body')),
    );
    raw.on('data', onData);
    raw.pipe(parser);
  });
}
