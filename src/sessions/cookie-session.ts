import type { Signer } from '../security/signer';
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
export function decodeSession(signer: Signer, cookie: string, maxAgeSeconds: number): DecodedSession | undefined {
  const result = signer.unsign(cookie, maxAgeSeconds);
  if (!result.ok) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(result.value, 'base64url').toString('utf8')) as { d?: unknown; p?: unknown };
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.d !== 'object' || parsed.d === null || Array.isArray(parsed.d)) return undefined;
    return { data: parsed.d as SessionData, permanent: parsed.p === 1 };
  } catch {
    return undefined;
  }
}
