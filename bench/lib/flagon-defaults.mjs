// What Flagon does on every request by default, for the peers that can be told to do the same
// (`flagon-defaults` targets in targets.mjs): measure like against like.

/** Flagon's DEFAULT_SECURITY_HEADERS (src/security/headers.ts), value for value. */
export const SECURITY_HEADERS = Object.freeze({
  'content-security-policy': "default-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
});

/** True when this server was started to do Flagon's default work too. */
export const withFlagonDefaults = process.argv.includes('flagon-defaults');
