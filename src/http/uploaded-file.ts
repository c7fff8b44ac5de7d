import { FlagonError } from '../errors/flagon-error';
import { getBodyPlan, markBodyRoute, type UploadRule } from './body/body-plan';
import { parseBody, type ParsedBody } from './body/parse-body';
import { createParamDecorator } from './params';

/**
 * A file from a multipart upload, already streamed to a temporary file. The temporary file is
 * removed when the request ends (handler returned or threw); call `saveTo` to keep it.
 */
export interface UploadedFile {
  /** The form field it came in (`avatar`). */
  readonly fieldName: string;
  /** The filename the client sent; never use it as a path (see `secureFilename()`). */
  readonly originalName: string;
  /** The Content-Type the client declared for the part. */
  readonly declaredType: string;
  /** The type proven by the file's first bytes (png, jpeg, gif, webp, pdf), else the declared one. */
  readonly mimeType: string;
  /** Size in bytes. */
  readonly size: number;
  /** Where the temporary file is. */
  readonly path: string;
  /** `originalName` made safe by Werkzeug's secure_filename rules; never empty. */
  secureFilename(): string;
  /** Moves the file into `dir` (as `name`, default `secureFilename()`); resolves to the new path. */
  saveTo(dir: string, name?: string): Promise<string>;
}

/** Options of `@UploadedFile`. */
export interface UploadedFileOptions extends UploadRule {
  /** When false (the default) a missing file is a 400; when true the parameter is `undefined`. */
  readonly optional?: boolean;
}

function filesOf(body: ParsedBody): ParsedBody & { kind: 'form' } {
  if (body.kind !== 'form') {
    throw new FlagonError(
      'FLAGON_BODY_UNSUPPORTED_TYPE',
      'File uploads need a multipart/form-data body',
      { details: { contentType: body.kind } },
    );
  }
  return body;
}

/**
 * One uploaded file of a multipart field, with optional size and type rules (413 / 400).
 *
 * @example
 * @Post('/avatar')
 * async upload(@UploadedFile('avatar', { maxSize: 1024 * 1024, mimeTypes: ['image/png', 'image/jpeg'] }) avatar: UploadedFile) {
 *   await avatar.saveTo('uploads', `${userId}-${avatar.secureFilename()}`);
 * }
 */
export function UploadedFile(field: string, options: UploadedFileOptions = {}): ParameterDecorator {
  const decorate = createParamDecorator(
    (info) => {
      const plan = getBodyPlan(info.config, info.controller, info.methodName);
      return async (req) => {
        const file = filesOf(await parseBody(req, plan)).files.find(
          (candidate) => candidate.fieldName === field,
        );
        if (file === undefined && options.optional !== true) {
          throw new FlagonError(
            'FLAGON_UPLOAD_MISSING',
            `No file was uploaded in the field "${field}"`,
            { details: { field } },
          );
        }
        return file;
      };
    },
    { isAsync: true },
  );
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined)
      markBodyRoute(target, String(propertyKey), { field, rule: { ...options } });
    decorate(target, propertyKey, index);
  };
}

/**
 * Every uploaded file (of one field, or of all fields), in the order received.
 *
 * @example
 * @Post('/photos') add(@UploadedFiles('photo') photos: UploadedFile[]) { return { count: photos.length }; }
 */
export function UploadedFiles(field?: string, rule: UploadRule = {}): ParameterDecorator {
  const decorate = createParamDecorator(
    (info) => {
      const plan = getBodyPlan(info.config, info.controller, info.methodName);
      return async (req) => {
        const { files } = filesOf(await parseBody(req, plan));
        return field === undefined ? [...files] : files.filter((file) => file.fieldName === field);
      };
    },
    { isAsync: true },
  );
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined)
      markBodyRoute(target, String(propertyKey), field === undefined ? undefined : { field, rule });
    decorate(target, propertyKey, index);
  };
}
