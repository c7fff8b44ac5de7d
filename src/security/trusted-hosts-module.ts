import type { FlagonApp } from '../app/flagon-app';
import { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module } from '../modules/module';
import { buildHostCheck } from './trusted-hosts';

function trustedHosts(config: Config): readonly string[] | undefined {
  const trusted = config.get('TRUSTED_HOSTS');
  if (trusted === undefined) return undefined;
  if (!(
    Array.isArray(trusted) && trusted.every((host): host is string => typeof host === 'string')
  ))
    throw new FlagonError('FLAGON_CONFIG_INVALID', 'TRUSTED_HOSTS must be a list of host names');
  return trusted;
}

/**
 * Trusted hosts, a built-in extension (Werkzeug's trusted_hosts): with TRUSTED_HOSTS set, every
 * request, routed or not, is checked first and a foreign Host answered 400; without it, routes
 * get no step at all.
 */
@Module({ setup: (app: FlagonApp) => void trustedHosts(app.config) })
export class TrustedHostsModule implements OnRoute {
  private readonly setup: RouteSetup | undefined;

  constructor(config: Config) {
    const trusted = trustedHosts(config);
    this.setup = trusted === undefined ? undefined : { before: buildHostCheck(trusted) };
  }

  onRoute(): RouteSetup | undefined {
    return this.setup;
  }

  onUnrouted(): RouteSetup | undefined {
    return this.setup;
  }
}
