import type { FlagonApp } from '../app/flagon-app';
import { Inject, type Provider } from '../di/tokens';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import {
  buildSecurityHeaders,
  SECURITY_HEADERS,
  type RouteSecurityHeaders,
  type SecurityHeaderValues,
} from './headers';

const HEADER_RESOLVER = Symbol('flagon:security-header-resolver');

type HeaderResolver = (declared: readonly SecurityHeaderValues[]) => RouteSecurityHeaders;

/** createApp: SECURITY_HEADERS and HSTS are checked and resolved here. */
function setupHeaders(app: FlagonApp): Provider[] {
  return [{ provide: HEADER_RESOLVER, useValue: buildSecurityHeaders(app.config) }];
}

function toSetup(headers: RouteSecurityHeaders): RouteSetup {
  return { headers: headers.headers, secureHeaders: headers.secureHeaders };
}

/**
 * Security headers, a built-in extension (Flask-Talisman's job): every response, routed or not,
 * gets the default security headers (SECURITY_HEADERS over Flagon's defaults, `@SecurityHeaders`
 * per route) and HSTS over HTTPS, unless the response set them itself. They join each route's
 * header list at startup, so they cost no step per request.
 */
@Module({ setup: setupHeaders })
export class SecurityHeadersModule implements OnRoute {
  constructor(@Inject(HEADER_RESOLVER) private readonly resolve: HeaderResolver) {}

  onRoute(route: RouteInfo): RouteSetup | undefined {
    return toSetup(this.resolve(route.allMetadata<SecurityHeaderValues>(SECURITY_HEADERS)));
  }

  onUnrouted(): RouteSetup | undefined {
    return toSetup(this.resolve([]));
  }
}
