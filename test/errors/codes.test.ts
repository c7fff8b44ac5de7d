import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, errorSlug, type FlagonErrorCode } from '../../src/errors/codes';

// Type-level: every entry has a numeric status and a message, and every code is FLAGON_<AREA>_<PROBLEM>.
// A row without a status, or with a string one, fails `npm run typecheck` here.
type Entry = (typeof ERROR_CODES)[FlagonErrorCode];
type IsExactly<TActual, TExpected> = [TActual] extends [TExpected]
  ? [TExpected] extends [TActual]
    ? true
    : false
  : false;
const everyStatusIsNumeric: IsExactly<Entry['status'] extends number ? true : false, true> = true;
const everyMessageIsString: IsExactly<Entry['message'] extends string ? true : false, true> = true;
const everyCodeHasAnArea: FlagonErrorCode extends `FLAGON_${string}_${string}` ? true : false =
  true;
// A map keyed by code must be exhaustive: this is how other tables over codes should be declared.
const statusByCode: { readonly [TCode in FlagonErrorCode]: number } = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, entry]) => [code, entry.status]),
) as { readonly [TCode in FlagonErrorCode]: number };

interface DocumentedCode {
  readonly code: string;
  readonly status: number;
  readonly line: number;
}

function readDocumentedCodes(): { rows: DocumentedCode[]; malformed: string[] } {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  const rows: DocumentedCode[] = [];
  const malformed: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.startsWith('|') || !line.includes('FLAGON_')) return;
    const match = /^\|\s*`(FLAGON_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*\S.*\|\s*$/.exec(line);
    if (match?.[1] && match[2])
      rows.push({ code: match[1], status: Number(match[2]), line: index + 1 });
    else malformed.push(`line ${index + 1}: ${line}`);
  });
  return { rows, malformed };
}

describe('error codes', () => {
  const { rows, malformed } = readDocumentedCodes();
  const codes = Object.keys(ERROR_CODES) as FlagonErrorCode[];

  it('holds the type-level guarantees', () => {
    expect([everyStatusIsNumeric, everyMessageIsString, everyCodeHasAnArea]).toEqual([
      true,
      true,
      true,
    ]);
    expect(Object.keys(statusByCode)).toEqual(codes);
  });

  it('documents every row of docs/errors.md as `code` | status | meaning', () => {
    expect(malformed).toEqual([]);
  });

  it('documents every code of the table with the same status', () => {
    const documented = new Map(rows.map((row) => [row.code, row.status]));
    const mismatches = codes
      .filter((code) => documented.get(code) !== ERROR_CODES[code].status)
      .map(
        (code) =>
          `${code}: table ${ERROR_CODES[code].status}, docs ${documented.get(code) ?? 'missing'}`,
      );
    expect(mismatches).toEqual([]);
  });

  it('documents only codes that exist, each once', () => {
    expect(
      rows
        .filter((row) => !(row.code in ERROR_CODES))
        .map((row) => `${row.code} (line ${row.line})`),
    ).toEqual([]);
    const seen = new Set<string>();
    expect(
      rows.filter((row) => seen.size === seen.add(row.code).size).map((row) => row.code),
    ).toEqual([]);
  });

  it('gives each code a well-formed name, a status in 400–599 and a message', () => {
    const bad = codes.filter((code) => {
      const { status, message } = ERROR_CODES[code];
      return (
        !/^FLAGON_[A-Z0-9]+(_[A-Z0-9]+)+$/.test(code) ||
        !Number.isInteger(status) ||
        status < 400 ||
        status > 599 ||
        message.trim() === ''
      );
    });
    expect(bad).toEqual([]);
  });

  it('gives each code a distinct slug for JSON error bodies', () => {
    const slugs = codes.map(errorSlug);
    expect(slugs.filter((slug, index) => slugs.indexOf(slug) !== index)).toEqual([]);
  });
});
