/**
 * Media types recognised from their first bytes. A tiny table instead of the `file-type` package:
 * file-type is ESM-only (Flagon ships CommonJS too) and covers hundreds of formats that upload
 * checks never ask about; these five are what "images only" and "PDF only" rules need.
 */
const SIGNATURES: readonly {
  readonly mimeType: string;
  readonly matches: (head: Buffer) => boolean;
}[] = [
  {
    mimeType: 'image/png',
    matches: (head) =>
      head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    mimeType: 'image/jpeg',
    matches: (head) => head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff,
  },
  {
    mimeType: 'image/gif',
    matches: (head) => ['GIF87a', 'GIF89a'].includes(head.toString('latin1', 0, 6)),
  },
  {
    mimeType: 'image/webp',
    matches: (head) =>
      head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP',
  },
  { mimeType: 'application/pdf', matches: (head) => head.toString('latin1', 0, 5) === '%PDF-' },
];

/** How many leading bytes `sniffMimeType` needs. */
export const SNIFF_BYTES = 16;

/** Media types `sniffMimeType` can recognise: a file declared as one of them must prove it. */
export const SNIFFABLE_TYPES: ReadonlySet<string> = new Set(
  SIGNATURES.map((signature) => signature.mimeType),
);

/**
 * The media type a file's first bytes prove, or `undefined` when they match no known signature.
 *
 * @example
 * sniffMimeType(Buffer.from('%PDF-1.7')); // 'application/pdf'
 */
export function sniffMimeType(head: Buffer): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(head))?.mimeType;
}

/**
 * The type Flagon reports for an upload: the sniffed type; else the declared one, unless the
 * declared one is sniffable (a "PNG" without PNG bytes is `application/octet-stream`, so an
 * images-only rule cannot be passed by lying in the header).
 */
export function detectMimeType(head: Buffer, declared: string): string {
  const sniffed = sniffMimeType(head);
  if (sniffed !== undefined) return sniffed;
  const normalized = declared.toLowerCase();
  return SNIFFABLE_TYPES.has(normalized) || normalized === ''
    ? 'application/octet-stream'
    : normalized;
}
