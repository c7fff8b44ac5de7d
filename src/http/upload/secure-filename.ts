const WINDOWS_DEVICE_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

/**
 * A filename safe to store on any filesystem, by Werkzeug's `secure_filename` rules: NFKD
 * normalisation to ASCII, path separators become spaces, whitespace runs become `_`, anything but
 * `A-Za-z0-9_.-` is dropped, leading/trailing dots and underscores are stripped (so no `..`), and
 * Windows device names get a `_` prefix. Never empty: falls back to `fallback`.
 *
 * @example
 * secureFilename('../../etc/passwd'); // 'etc_passwd'
 * secureFilename('My cool movie.mov'); // 'My_cool_movie.mov'
 */
export function secureFilename(filename: string, fallback = 'file'): string {
  const ascii = filename.normalize('NFKD').replace(/[^\x20-\x7e\s]/g, '');
  const joined = ascii.replace(/[/\\]/g, ' ').trim().split(/\s+/).join('_');
  const safe = joined.replace(/[^A-Za-z0-9_.-]/g, '').replace(/^[._]+|[._]+$/g, '');
  if (safe === '') return fallback;
  const stem = safe.split('.')[0]?.toUpperCase() ?? '';
  return WINDOWS_DEVICE_NAMES.has(stem) ? `_${safe}` : safe;
}
