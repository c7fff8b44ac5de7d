import { rm } from 'node:fs/promises';
import { FlagonError } from '../../errors/flagon-error';
import type { Request } from '../request';
import type { StoredFile } from '../upload/stored-file';
import type { BodyPlan } from './body-plan';
import { isUtf8, parseContentType } from './content-type';
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
  readonly parsed: Promise<ParsedBody>;
  isSettled: boolean;
  /** Every temp file written for this request, including ones from a failed parse. */
  readonly written: string[];
}

// Keyed by request so several parameters of one handler share one parse, and the state dies with the request.
const states = new WeakMap<Request, BodyState>();

function unsupported(mediaType: string | undefined): FlagonError {
  return new FlagonError(
    'FLAGON_BODY_UNSUPPORTED_TYPE',
    mediaType === undefined
      ? 'The request has no Content-Type; send application/json, application/x-www-form-urlencoded, multipart/form-data or text/plain'
      : `Unsupported Content-Type ${mediaType}; send application/json, application/x-www-form-urlencoded, multipart/form-data or text/plain`,
    { details: { contentType: mediaType ?? null } },
  );
}

function unsupportedCharset(mediaType: string, charset: string): FlagonError {
  return new FlagonError('FLAGON_BODY_UNSUPPORTED_TYPE', `Unsupported charset "${charset}" for ${mediaType}; only UTF-8 is accepted`, { details: { contentType: mediaType, charset } });
}

/**
 * The body bytes under `limit`. A hook or handler that already called `req.buffer()` consumed the
 * stream, so its cached buffer is shared (checked against the limit afterwards); with the app's
 * own MAX_CONTENT_LENGTH the kernel's reader is used too, so both paths see one read.
 */
async function readBytes(req: Request, plan: BodyPlan, limit: number, limitName: string): Promise<Buffer> {
  if (req.raw.readableDidRead || plan.names.maxContentLength === 'MAX_CONTENT_LENGTH') {
    const bytes = await req.buffer();
    if (bytes.length > limit) throw tooLarge(limit, limitName);
    return bytes;
  }
  return readBody(req.raw, limit, limitName);
}

async function parse(req: Request, plan: BodyPlan, written: string[]): Promise<ParsedBody> {
  const type = parseContentType(req.header('content-type'));
  const mediaType = type?.mediaType;
  if (type !== undefined && mediaType !== 'multipart/form-data' && !isUtf8(type.charset)) throw unsupportedCharset(type.mediaType, type.charset as string);
  if (mediaType === 'application/json' || (mediaType?.startsWith('application/') === true && mediaType.endsWith('+json'))) {
    const text = decodeUtf8(await readBytes(req, plan, plan.maxContentLength, plan.names.maxContentLength));
    return { kind: 'json', value: parseJson(text, plan.jsonMaxDepth) };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const isFormLimitTighter = plan.maxFormMemorySize < plan.maxContentLength;
    const bytes = await readBytes(req, plan, Math.min(plan.maxFormMemorySize, plan.maxContentLength), isFormLimitTighter ? plan.names.maxFormMemorySize : plan.names.maxContentLength);
    return { kind: 'form', fields: parseForm(bytes, plan.maxFormParts, plan.names.maxFormParts), files: [] };
  }
  if (mediaType === 'multipart/form-data') {
    // Only multipart bodies write files: only they register the removal (on the final response,
    // after the handler and any error handler, so JSON and form requests keep the plain path).
    req.onBeforeSend((response) => removeUploadsIfAny(req)?.then(() => response));
    const source = req.raw.readableDidRead ? await req.buffer() : req.raw;
    const { fields, files } = await parseMultipart(req.raw, source, plan, written);
    return { kind: 'form', fields, files };
  }
  if (mediaType === 'text/plain') {
    return { kind: 'text', text: decodeUtf8(await readBytes(req, plan, plan.maxContentLength, plan.names.maxContentLength)) };
  }
  throw unsupported(mediaType);
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
  let state = states.get(req);
  if (!state) {
    const written: string[] = [];
    const created: BodyState = { parsed: parse(req, plan, written), written, isSettled: false };
    created.parsed.then(
      () => (created.isSettled = true),
      () => (created.isSettled = true),
    );
    states.set(req, (state = created));
  }
  return state.parsed;
}

/**
 * Removes the request's temp files (after the handler, success or not). When a parse is still
 * streaming (a handler failed on another argument first) the removal waits for it in the
 * background, so a slow upload never holds back the response.
 */
export async function removeUploads(req: Request): Promise<void> {
  const state = states.get(req);
  if (!state) return;
  await removeWritten(state);
}

/**
 * Like removeUploads, but `undefined` (no promise to wait for) when the request wrote no file:
 * the common case of a JSON body costs its after step no await.
 */
export function removeUploadsIfAny(req: Request): Promise<void> | undefined {
  const state = states.get(req);
  if (!state || (state.isSettled && state.written.length === 0)) return undefined;
  return removeWritten(state);
}

async function removeWritten(state: BodyState): Promise<void> {
  const remove = (): Promise<unknown> => Promise.all(state.written.map((path) => rm(path, { force: true })));
  if (state.isSettled) await remove();
  else void state.parsed.then(remove, remove);
}
