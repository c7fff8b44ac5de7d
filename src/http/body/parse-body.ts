import { rm } from 'node:fs/promises';
import { FlagonError } from '../../errors/flagon-error';
import type { Request } from '../request';
import type { StoredFile } from '../upload/stored-file';
import type { BodyPlan } from './body-plan';
import { isUtf8, parseContentType } from './content-type';
import { BODY_MEDIA_TYPES, type BodyKind } from './consumes';
import { parseForm, type FormFields } from './form';
import { parseJson } from './json';
import { parseMultipart } from './multipart';
import { readBody, tooLarge } from './read-body';
import { decodeUtf8 } from './text';

/** A request body parsed by its Content-Type. */
export type ParsedBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly fields: FormFields; readonly files: readonly StoredFile[] }
  | { readonly kind: 'text'; readonly text: string };

interface BodyState {
  parsed: Promise<ParsedBody>;
  /** False only while a multipart parse, the one kind that writes files, is still running. */
  isSettled: boolean;
  /** Every temp file written for this request, including ones from a failed parse. */
  readonly written: string[];
}

/** The parse a request started (several parameters of one handler share it); kept on the request itself. */
function stateOf(req: Request): BodyState | undefined {
  return req.bodyState as BodyState | undefined;
}

function unsupported(mediaType: string | undefined, plan: BodyPlan): FlagonError {
  const accepted = (plan.consumes ?? ALL_KINDS).map((kind) => BODY_MEDIA_TYPES[kind]);
  const send = `send ${accepted.join(', ')}`;
  return new FlagonError(
    'FLAGON_BODY_UNSUPPORTED_TYPE',
    mediaType === undefined
      ? `The request has no Content-Type; ${send}`
      : plan.consumes === undefined
        ? `Unsupported Content-Type ${mediaType}; ${send}`
        : `This route does not accept ${mediaType}; ${send}`,
    { details: { contentType: mediaType ?? null, accepted } },
  );
}

const ALL_KINDS: readonly BodyKind[] = ['json', 'form', 'multipart', 'text'];

/** The kind of body a media type is, or `undefined` for one Flagon does not parse. */
function kindOf(mediaType: string | undefined): BodyKind | undefined {
  if (mediaType === undefined) return undefined;
  if (
    mediaType === 'application/json' ||
    (mediaType.startsWith('application/') && mediaType.endsWith('+json'))
  )
    return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'multipart/form-data') return 'multipart';
  if (mediaType === 'text/plain') return 'text';
  return undefined;
}

function unsupportedCharset(mediaType: string, charset: string): FlagonError {
  return new FlagonError(
    'FLAGON_BODY_UNSUPPORTED_TYPE',
    `Unsupported charset "${charset}" for ${mediaType}; only UTF-8 is accepted`,
    { details: { contentType: mediaType, charset } },
  );
}

/**
 * The body bytes under `limit`. A hook or handler that already called `req.buffer()` consumed the
 * stream, so its cached buffer is shared (checked against the limit afterwards); with the app's
 * own MAX_CONTENT_LENGTH the kernel's reader is used too, so both paths see one read.
 */
function readBytes(
  req: Request,
  plan: BodyPlan,
  limit: number,
  limitName: string,
): Promise<Buffer> {
  if (req.raw.readableDidRead || plan.names.maxContentLength === 'MAX_CONTENT_LENGTH') {
    // The kernel's reader already stops at MAX_CONTENT_LENGTH: only a tighter limit needs a check.
    if (!req.raw.readableDidRead && limit >= plan.maxContentLength) return req.buffer();
    return req.buffer().then((bytes) => {
      if (bytes.length > limit) throw tooLarge(limit, limitName);
      return bytes;
    });
  }
  return readBody(req.raw, limit, limitName);
}

function unsupportedCharsetOf(type: ReturnType<typeof parseContentType>): FlagonError | undefined {
  if (type === undefined || type.mediaType === 'multipart/form-data' || isUtf8(type.charset))
    return undefined;
  return unsupportedCharset(type.mediaType, type.charset as string);
}

/**
 * Starts the parse. JSON, form and text bodies are one read and one synchronous parse (a single
 * `then`: each promise costs, more so inside the request context); multipart streams to disk.
 */
function parse(req: Request, plan: BodyPlan, state: BodyState): Promise<ParsedBody> {
  const type = parseContentType(req.header('content-type'));
  const mediaType = type?.mediaType;
  const kind = kindOf(mediaType);
  if (kind === undefined || (plan.consumes !== undefined && !plan.consumes.includes(kind)))
    return Promise.reject(unsupported(mediaType, plan));
  const charsetError = unsupportedCharsetOf(type);
  if (charsetError) return Promise.reject(charsetError);
  if (kind === 'json') {
    return readBytes(req, plan, plan.maxContentLength, plan.names.maxContentLength).then(
      (bytes) => ({ kind: 'json', value: parseJson(decodeUtf8(bytes), plan.jsonMaxDepth) }),
    );
  }
  if (kind === 'form') {
    const isFormLimitTighter = plan.maxFormMemorySize < plan.maxContentLength;
    const limit = Math.min(plan.maxFormMemorySize, plan.maxContentLength);
    return readBytes(
      req,
      plan,
      limit,
      isFormLimitTighter ? plan.names.maxFormMemorySize : plan.names.maxContentLength,
    ).then((bytes) => ({
      kind: 'form',
      fields: parseForm(bytes, plan.maxFormParts, plan.names.maxFormParts),
      files: [],
    }));
  }
  if (kind === 'multipart') {
    // Only multipart bodies write files: only they register the removal (on the final response,
    // after the handler and any error handler, so JSON and form requests keep the plain path).
    req.onBeforeSend((response) => removeUploadsIfAny(req)?.then(() => response));
    state.isSettled = false;
    const settle = (): void => {
      state.isSettled = true;
    };
    const parsed = parseMultipartBody(req, plan, state.written);
    parsed.then(settle, settle);
    return parsed;
  }
  return readBytes(req, plan, plan.maxContentLength, plan.names.maxContentLength).then((bytes) => ({
    kind: 'text',
    text: decodeUtf8(bytes),
  }));
}

async function parseMultipartBody(
  req: Request,
  plan: BodyPlan,
  written: string[],
): Promise<ParsedBody> {
  const source = req.raw.readableDidRead ? await req.buffer() : req.raw;
  const { fields, files } = await parseMultipart(req.raw, source, plan, written);
  return { kind: 'form', fields, files };
}

/**
 * Parses the request body once per request by its Content-Type (json, url-encoded form,
 * multipart, text), with the route's limits. Later calls share the first parse.
 *
 * @example
 * const body = await parseBody(req, plan);
 * if (body.kind === 'form') console.log(body.fields['title']);
 */
export function parseBody(req: Request, plan: BodyPlan): Promise<ParsedBody> {
  let state = stateOf(req);
  if (!state) {
    state = { parsed: NOT_STARTED, written: [], isSettled: true };
    req.bodyState = state;
    try {
      state.parsed = parse(req, plan, state);
    } catch (error) {
      state.parsed = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return state.parsed;
}

// A placeholder while `parse` starts (it fills the state in synchronously); never awaited.
const NOT_STARTED: Promise<ParsedBody> = new Promise(() => undefined);

/**
 * Removes the request's temp files (after the handler and any error handler, success or not);
 * `undefined` (no promise to wait for) when the request wrote no file. When a parse is still
 * streaming (a handler failed on another argument first) the removal waits for it in the
 * background, so a slow upload never holds back the response.
 */
export function removeUploadsIfAny(req: Request): Promise<void> | undefined {
  const state = stateOf(req);
  if (!state || (state.isSettled && state.written.length === 0)) return undefined;
  return removeWritten(state);
}

async function removeWritten(state: BodyState): Promise<void> {
  const remove = (): Promise<unknown> =>
    Promise.all(state.written.map((path) => rm(path, { force: true })));
  if (state.isSettled) await remove();
  else void state.parsed.then(remove, remove);
}
