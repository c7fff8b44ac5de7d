/**
 * `url` when it is a same-site relative path (`/dashboard?tab=2`), else `fallback`: for `?next=`
 * parameters, so a login link cannot send users to another site (open redirect). Refuses
 * absolute and scheme-relative URLs, backslashes (browsers read `/\evil` as `//evil`), control
 * characters, and the same tricks percent-encoded (`/%2F%2Fevil`, `%5C`).
 *
 * @example
 * return redirect(safeNext(req.query['next'], '/'));
 */
export function safeNext(url: unknown, fallback = '/'): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return fallback;
  let decoded = url;
  // Decode repeatedly: a target may be decoded again by a proxy or the browser.
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    decoded = next;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s\\]/.test(url) || /[\u0000-\u001f\u007f]/.test(decoded))
    return fallback;
  for (const candidate of [url, decoded]) {
    if (!candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\'))
      return fallback;
  }
  try {
    const resolved = new URL(url, 'http://flagon.invalid');
    if (resolved.origin !== 'http://flagon.invalid') return fallback;
  } catch {
    return fallback;
  }
  return url;
}
