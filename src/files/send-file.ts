import { realpathSync, statSync } from 'node:fs';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { basename, dirname, resolve, sep } from 'node:path';
import { create as contentDisposition } from 'content-disposition';
import type SendModule from 'send';
import { requestContext } from '../context/request-context';
import { NotFound } from '../errors/http-errors';
import { Response, type HeaderValue } from '../http/response';
import { lazyRequire } from '../util/lazy-require';
import { safeJoin } from './safe-path';

// send costs startup time every app would pay otherwise; only sendFile and static files need it.
const loadSend = lazyRequire<typeof SendModule>('send', 'Sending files');

export interface SendFileOptions {
  /** Send `Content-Disposition: attachment` so browsers save the file instead of showing it. */
  readonly download?: boolean;
  /** The name the client sees (RFC 6266/5987 encoded, so non-ASCII names survive); defaults to the file's own. */
  readonly filename?: string;
  /** Cache-Control max-age in seconds; defaults to SEND_FILE_MAX_AGE (unset: no max-age, like Flask). */
  readonly maxAge?: number;
}

/**
 * A file response: `send` writes it once the pipeline is done with headers, so ETag, Last-Modified,
 * 304 on If-None-Match/If-Modified-Since, Range (206/416) and HEAD all come from one well-kept library.
 * Made by `sendFile` / `sendFromDirectory`; after-request hooks may still add headers and cookies.
 *
 * @example
 * return new FileResponse('/srv/reports/q3.pdf', { download: true });
 */
export class FileResponse extends Response {
  readonly file: string;
  readonly maxAge: number | undefined;

  constructor(file: string, options: SendFileOptions = {}) {
    super(null);
    this.file = file;
    this.maxAge = options.maxAge ?? currentMaxAge();
    if (options.download === true || options.filename !== undefined) {
      const filename = options.filename ?? basename(file);
      this.setHeader(
        'content-disposition',
        contentDisposition(filename, { type: options.download === true ? 'attachment' : 'inline' }),
      );
    }
  }

  /** @internal Called by the result writer with the final headers. */
  sendTo(res: ServerResponse, headers: Readonly<Record<string, HeaderValue>>): void {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const send = loadSend();
    const stream = send(res.req, encodeURIComponent(basename(this.file)), {
      root: dirname(this.file),
      dotfiles: 'allow',
      index: false,
      etag: true,
      lastModified: true,
      acceptRanges: true,
      cacheControl: this.maxAge !== undefined,
      maxAge: (this.maxAge ?? 0) * 1000,
    });
    // send would otherwise clear every header (cookies, security headers) and write its own HTML page.
    stream.on('error', (error: Error & { status?: number; headers?: Record<string, string> }) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      const status = error.status ?? 500;
      res.statusCode = status;
      for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
      res.removeHeader('content-disposition');
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      const body = STATUS_CODES[status] ?? 'Error';
      res.setHeader('content-length', Buffer.byteLength(body));
      res.end(res.req.method === 'HEAD' ? undefined : body);
    });
    stream.pipe(res);
  }
}

function currentMaxAge(): number | undefined {
  return requestContext.getStore()?.app?.config.get('SEND_FILE_MAX_AGE');
}

function fileStat(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Sends a file the app chose (Flask's `send_file`); a relative path is resolved against the app root.
 * Never pass a client-supplied path here: use `sendFromDirectory` for those. A missing file is a 404.
 *
 * @example
 * @Get('/report') report() { return sendFile('reports/q3.pdf', { download: true, filename: 'Q3 résumé.pdf' }); }
 */
export function sendFile(path: string, options: SendFileOptions = {}): FileResponse {
  const root = requestContext.getStore()?.app?.root ?? process.cwd();
  const file = resolve(root, path);
  if (!fileStat(file)?.isFile()) throw new NotFound(`No file at ${basename(file)}`);
  return new FileResponse(file, options);
}

/**
 * Sends `name` from inside `directory` (Flask's `send_from_directory`): safe with client input.
 * Traversal (`..`, absolute paths, backslashes, NUL), dotfiles, folders and symlinks that lead
 * outside `directory` all give 404.
 *
 * @example
 * @Get('/uploads/<path:name>') upload(@Param('name') name: string) { return sendFromDirectory('uploads', name); }
 */
export function sendFromDirectory(
  directory: string,
  name: string,
  options: SendFileOptions = {},
): FileResponse {
  const root = resolve(requestContext.getStore()?.app?.root ?? process.cwd(), directory);
  const joined = safeJoin(root, name);
  let real: string | undefined;
  try {
    if (joined !== undefined) {
      real = realpathSync(joined);
      const realRoot = realpathSync(root);
      if (!real.startsWith(realRoot + sep)) real = undefined;
    }
  } catch {
    real = undefined;
  }
  if (real === undefined || !fileStat(real)?.isFile())
    throw new NotFound(`No file "${name}" in this folder`);
  return new FileResponse(real, options);
}
