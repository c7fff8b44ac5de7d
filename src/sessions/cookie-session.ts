import type { Signer } from '../signing/signer';
import type { SessionData } from './session';

/** What a session cookie decodes to. */
export interface DecodedSession {
  readonly data: SessionData;
  readonly permanent: boolean;
}

/**
 * The signed cookie format of client-side sessions: base64url(JSON) + timestamp + HMAC-SHA256
 * (Flask's SecureCookieSession). The data is readable by the client, only not forgeable: never
 * put secrets in a cookie session.
 *
 * @example
 * const cookie = encodeSession(signer, { data: { user: 1 }, permanent: false });
 * decodeSession(signer, cookie, 3600); // { data: { user: 1 }, permanent: false }
 */
export function encodeSession(signer: Signer, session: DecodedSession): string {
  const payload = session.permanent ? { d: session.data, p: 1 } : { d: session.data };
  return signer.sign(Buffer.from(JSON.stringify(payload)).toString('base64url'));
}

/** The session in a cookie, or `undefined` when the cookie is tampered, truncated, expired or garbage. */
export function decodeSession(
  signer: Signer,
  cookie: string,
  maxAgeSeconds: number,
): DecodedSession | undefined {
  const result = signer.unsign(cookie, maxAgeSeconds);
  if (!result.ok) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(result.value, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { d, p } = parsed as { d?: unknown; p?: unknown };
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return undefined;
    return { data: d as SessionData, permanent: p === 1 };
  } catch {
    return undefined;
  }
}
