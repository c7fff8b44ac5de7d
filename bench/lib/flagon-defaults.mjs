// What Flagon does on every request by default, for the peers that can be told to do the same
// (`flagon-defaults` targets in targets.mjs): measure like against like.
import { createRequire } from 'node:module';

/** True when this server was started to do Flagon's default work too. */
export const withFlagonDefaults = process.argv.includes('flagon-defaults');

/**
 * Flagon's DEFAULT_SECURITY_HEADERS, read from the build the bench serves Flagon from (dist/), so
 * the peers send exactly what Flagon sends. Called once, at startup, by those servers only.
 */
export function flagonSecurityHeaders() {
  return createRequire(import.meta.url)('../../dist/cjs/security/headers.js')
    .DEFAULT_SECURITY_HEADERS;
}
