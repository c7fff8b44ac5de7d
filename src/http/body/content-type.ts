/** A parsed Content-Type header: lower-cased media type plus its parameters. */
export interface ContentType {
  readonly mediaType: string;
  readonly charset: string | undefined;
  readonly boundary: string | undefined;
}

/**
 * Parses `type/subtype; charset=...; boundary=...` (RFC 9110 §8.3). Returns `undefined` for a
 * missing or empty header.
 *
 * @example
 * parseContentType('application/json; charset=UTF-8'); // { mediaType: 'application/json', charset: 'utf-8', boundary: undefined }
 */
export function parseContentType(header: string | undefined): ContentType | undefined {
  if (header === undefined) return undefined;
  // Clients of one API send the same header on every request: the last parse is kept (read-only).
  if (header === lastHeader) return lastParsed;
  lastParsed = parse(header);
  lastHeader = header;
  return lastParsed;
}

let lastHeader: string | undefined;
let lastParsed: ContentType | undefined;

function parse(header: string): ContentType | undefined {
  const [type = '', ...params] = header.split(';');
  const mediaType = type.trim().toLowerCase();
  if (mediaType === '') return undefined;
  let charset: string | undefined;
  let boundary: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1);
    if (name === 'charset') charset = value.toLowerCase();
    else if (name === 'boundary') boundary = value;
  }
  return Object.freeze({ mediaType, charset, boundary });
}

/** UTF-8 under any of its registered names. */
export function isUtf8(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}
