import type { ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { Response, type HeaderValue } from './response';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
const BYTES_TYPE = 'application/octet-stream';

/**
 * Headers a route adds to every response it sends, as a flat `[name, value, …]` list built at
 * startup (`@Header`, plus app-wide defaults such as security headers); a handler's own headers win.
 */
export type FlatHeaders = readonly string[];

function isStreamBody(value: unknown): value is Readable | AsyncIterable<string | Uint8Array> {
  return (
    value instanceof Readable ||
    (typeof value === 'object' &&
      value !== null &&
      Symbol.asyncIterator in value &&
      !Array.isArray(value))
  );
}

/** A Response that writes itself once its headers are final (files, written by `send`). */
interface SelfSending {
  sendTo(res: ServerResponse, headers: Readonly<Record<string, HeaderValue>>): void;
}

function isSelfSending(response: Response): response is Response & SelfSending {
  return typeof (response as Partial<SelfSending>).sendTo === 'function';
}

/**
 * Converts what a handler returned into a Response: a Response as it is, a string as HTML,
 * bytes or a stream as octet-stream, `undefined` as 204, anything else as JSON.
 */
export function toResponse(value: unknown, status: number): Response {
  if (value instanceof Response) return value;
  if (value === undefined) return new Response(null, { status: status === 200 ? 204 : status });
  if (typeof value === 'string') return Response.html(value, { status });
  if (value instanceof Uint8Array || isStreamBody(value)) {
    const response = new Response(value, { status });
    response.setHeader('content-type', BYTES_TYPE);
    return response;
  }
  return Response.json(value, { status });
}

/** What toResponse would serialise as JSON: plain objects and arrays first (the common case), then DTO instances and other values. */
function isJsonResult(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return typeof value === 'number' || typeof value === 'boolean';
  if (value.constructor === Object || Array.isArray(value)) return true;
  return !(value instanceof Response) && !(value instanceof Uint8Array) && !isStreamBody(value);
}

/**
 * Writes a plain handler result without building a Response: the hot path for JSON and HTML.
 * Returns false when the value needs the full Response path.
 */
export function trySendPlain(
  res: ServerResponse,
  value: unknown,
  status: number,
  headers: FlatHeaders,
): boolean {
  let body: string;
  let type: string;
  if (typeof value === 'string') {
    body = value;
    type = HTML_TYPE;
  } else if (value === undefined) {
    res.writeHead(status === 200 ? 204 : status, headers as string[]);
    res.end();
    return true;
  } else if (isJsonResult(value)) {
    body = JSON.stringify(value);
    type = JSON_TYPE;
  } else {
    return false;
  }
  const flat = headers.slice();
  flat.push('content-type', type, 'content-length', String(Buffer.byteLength(body)));
  res.writeHead(status, flat);
  endWith(res, body);
  return true;
}

function isHeadRequest(res: ServerResponse): boolean {
  return res.req.method === 'HEAD';
}

/**
 * Ends with the body, or without it for HEAD (the headers, Content-Length included, stay those of
 * GET). node:http drops a HEAD body on a socket itself, but in-process harnesses would not.
 */
function endWith(res: ServerResponse, body: string | Uint8Array): void {
  if (isHeadRequest(res)) res.end();
  else res.end(body);
}

/** Writes a Response, adding the route's default headers that the response does not set; `onStreamError` hears of a body stream that fails midway. */
export function sendResponse(
  res: ServerResponse,
  response: Response,
  defaults: FlatHeaders,
  onStreamError?: (error: Error) => void,
): void {
  const headers: Record<string, HeaderValue> = response.headers;
  for (let index = 0; index < defaults.length; index += 2) {
    const name = defaults[index] as string;
    if (headers[name] === undefined) headers[name] = defaults[index + 1] as string;
  }
  if (isSelfSending(response)) {
    response.sendTo(res, headers);
    return;
  }
  const { body } = response;
  if (body === null) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers['content-type'] ??= typeof body === 'string' ? HTML_TYPE : BYTES_TYPE;
    headers['content-length'] = String(
      typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    );
    res.writeHead(response.status, headers);
    endWith(res, body);
    return;
  }
  headers['content-type'] ??= BYTES_TYPE;
  res.writeHead(response.status, headers);
  if (isHeadRequest(res)) {
    // Nothing of a stream is sent for HEAD: stop it instead of reading it for nothing.
    if (body instanceof Readable) body.destroy();
    res.end();
    return;
  }
  const source = body instanceof Readable ? body : Readable.from(body);
  // pipeline destroys the source when the client goes away, so generators stop early.
  pipeline(source, res, (error) => {
    if (!error) return;
    // The status line is gone already: all that is left is to cut the response short and say why.
    onStreamError?.(error);
    if (!res.destroyed) res.destroy(error);
  });
}
