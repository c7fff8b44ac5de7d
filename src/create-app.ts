import { FlagonApp, type CreateAppOptions } from './app/flagon-app';
import type { ModuleRef } from './modules/module';
import { CsrfModule } from './security/csrf-module';
import { GuardsModule } from './security/guards-module';
import { LoginManagerModule } from './security/login-manager-module';
import { SecurityHeadersModule } from './security/security-headers-module';
import { TrustedHostsModule } from './security/trusted-hosts-module';
import { SessionModule } from './sessions/session-module';

/**
 * Flagon's built-in extensions, installed before the app's own modules and in this order, so
 * their app-wide steps run first: the Host check, the session (loaded from its store), the
 * current user, the CSRF check, the route's guards; security headers join every route's headers.
 * Each uses only the extension API a third party has (docs/extensions.md).
 */
export const BUILTIN_EXTENSIONS: readonly ModuleRef[] = [
  TrustedHostsModule,
  SessionModule,
  LoginManagerModule,
  CsrfModule,
  GuardsModule,
  SecurityHeadersModule,
];

/**
 * Creates an app from modules: reads every decorator once, builds the route table and router,
 * installs the built-in extensions, and fails here on route conflicts, bad rules, unknown
 * converters and invalid settings.
 *
 * @example
 * const app = createApp({ modules: [AppModule], config: { DEBUG: true } });
 */
export function createApp(options: CreateAppOptions): FlagonApp {
  return new FlagonApp({ ...options, modules: [...BUILTIN_EXTENSIONS, ...options.modules] });
}
