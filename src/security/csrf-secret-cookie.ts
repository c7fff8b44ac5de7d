import type { CookieOptions } from '../http/cookies';
import { fitsHostPrefix, type SessionSettings } from '../sessions/session-manager';
import type { SecretKeys } from '../signing/secrets';
import { Signer } from '../signing/signer';
import { newCsrfSecret, SECRET_BYTES } from './csrf-mask';

/**
 * The CSRF secret in a signed cookie of its own (Django's CSRF cookie), beside the session rather
 * than in it: an anonymous visitor who views a form costs no server-side session, and login and
 * logout replace it. It takes the session cookie's attributes, and the `__Host-` prefix where the
 * session cookie has it, so a sibling subdomain cannot plant one.
 */
export class CsrfSecretCookie {
  readonly name: string;
  readonly options: CookieOptions;
  private readonly signer: Signer;

  constructor(
    keys: SecretKeys,
    private readonly session: SessionSettings,
  ) {
    this.signer = new Signer(keys, 'csrf-secret');
    this.options = { ...session.cookie, httpOnly: true, maxAge: session.lifetimeSeconds };
    this.name =
      session.cookieName.startsWith('__Host-') && fitsHostPrefix(this.options)
        ? '__Host-csrf'
        : 'csrf';
  }

  /** The secret the client's cookie holds, or `undefined` when it sent none or a forged one. */
  read(cookies: Readonly<Record<string, string>>): Buffer | undefined {
    const value = cookies[this.name];
    if (value === undefined) return undefined;
    const unsigned = this.signer.unsign(value, this.session.lifetimeSeconds);
    if (!unsigned.ok) return undefined;
    const secret = Buffer.from(unsigned.value, 'base64url');
    return secret.length === SECRET_BYTES ? secret : undefined;
  }

  /** A new secret and the cookie value that carries it. */
  issue(): { readonly secret: Buffer; readonly value: string } {
    const secret = newCsrfSecret();
    return { secret, value: this.signer.sign(secret.toString('base64url')) };
  }
}
