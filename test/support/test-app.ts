import { createApp, type CreateAppOptions, type FlagonApp, type ModuleRef } from 'flagon';

/** The config every test app starts from: testing mode (silent logs, errors reach the test). */
export const TESTING_CONFIG: Readonly<Record<string, unknown>> = { TESTING: true };

/**
 * An app in testing mode that reads no FLAGON_* variable, so the machine's environment cannot
 * change what a test sees. `config` is laid over {@link TESTING_CONFIG}; `options` passes the
 * rest of createApp's options (root, views, converters, logger).
 *
 * @example
 * const client = makeTestApp([BlogModule], { CSRF_ENABLED: false }).testClient();
 */
export function makeTestApp(
  modules: readonly ModuleRef[],
  config: Readonly<Record<string, unknown>> = {},
  options: Omit<CreateAppOptions, 'modules' | 'config'> = {},
): FlagonApp {
  return createApp({
    env: false,
    ...options,
    modules: [...modules],
    config: { ...TESTING_CONFIG, ...config },
  });
}
