import { HttpError } from '../errors/http-errors';
import type { Request } from '../http/request';

/**
 * A before step answering 400 when the Host is not in TRUSTED_HOSTS (Werkzeug's trusted_hosts):
 * a forged Host would otherwise end up in external URLs such as password-reset links.
 * Entries match exactly; `.example.com` also matches every subdomain.
 *
 * @example
 * createApp({ modules, config: { TRUSTED_HOSTS: ['example.com', '.example.com'] } });
 */
export function buildHostCheck(trusted: readonly string[]): (req: Request) => undefined {
  const exact = new Set(
    trusted.filter((host) => !host.startsWith('.')).map((host) => host.toLowerCase()),
  );
  const suffixes = trusted.filter((host) => host.startsWith('.')).map((host) => host.toLowerCase());
  return (req) => {
    const hostname = hostWithoutPort(req.host).toLowerCase();
    if (
      exact.has(hostname) ||
      suffixes.some((suffix) => hostname.endsWith(suffix) || `.${hostname}` === suffix)
    )
      return undefined;
    throw new HttpError(
      'FLAGON_SECURITY_UNTRUSTED_HOST',
      `Host "${hostname}" is not in TRUSTED_HOSTS`,
    );
  };
}

/** `example.com:8080` → `example.com`; `[::1]:80` → `[::1]`. */
export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
