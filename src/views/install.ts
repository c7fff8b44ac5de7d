import { resolve } from 'node:path';
import type { FlagonApp } from '../app/create-app';
import type { MountedModule } from '../modules/module-graph';
import { staticEndpoint, staticFolderOf } from '../files/static';
import { ViewEngine, type ViewContributions } from './engine';
import { renderErrorPage } from './error-pages';
import { registerBuiltinHelpers } from './helpers';
import type { UrlForOptions, UrlParams } from '../routing/url-for';

/** Flagon's own templates (the default error pages), searched after the app's and the modules'. */
export const BUILTIN_TEMPLATES = resolve(__dirname, '../../templates');

const ENGINES = new WeakMap<FlagonApp, ViewEngine>();

/**
 * The view engine of an app, usable right after `createApp` (before init): built-in features
 * replace the csrfField/flashes placeholders through it, and apps may register helpers with it.
 *
 * @example
 * viewEngineOf(app).registerHelper('year', () => new Date().getFullYear());
 */
export function viewEngineOf(app: FlagonApp): ViewEngine {
  return ENGINES.get(app) as ViewEngine;
}

/**
 * Gives an app its view engine: template folders (`<root>/templates`, then each module's `templates`
 * in registration order, relative ones resolved against the root, then Flagon's built-in pages),
 * the built-in helpers, the app's own contributions, `ViewEngine` in the container, and HTML error
 * pages rendered from `errors/<status>.hbs` (falling back to `errors/default.hbs`).
 */
export function installViews(
  app: FlagonApp,
  mounted: readonly MountedModule[],
  contributions: ViewContributions | undefined,
): ViewEngine {
  const folders = [resolve(app.root, 'templates')];
  for (const module of mounted) {
    if (module.templates !== undefined) folders.push(resolve(app.root, module.templates));
  }
  folders.push(BUILTIN_TEMPLATES);
  const isAutoReload = app.config.get('TEMPLATES_AUTO_RELOAD') ?? app.config.get('DEBUG');
  const engine = new ViewEngine({ folders: [...new Set(folders)], isAutoReload });
  const staticFolders = new Map<string, string>();
  for (const module of mounted) {
    const folder = staticFolderOf(module);
    if (folder !== undefined) staticFolders.set(staticEndpoint(module), folder);
  }
  // Templates name endpoints in data, not code: app.urlFor without its compile-time endpoint check
  // (the assertion is a no-op until a project's declaration fills Endpoints in; called with app).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion, @typescript-eslint/unbound-method
  const untypedUrlFor = app.urlFor as unknown as (
    this: FlagonApp,
    endpoint: string,
    params?: UrlParams,
    options?: UrlForOptions,
  ) => string;
  registerBuiltinHelpers(engine, {
    urlFor: (endpoint, params, options) => untypedUrlFor.call(app, endpoint, params, options),
    staticFolders,
    isAutoReload,
  });
  if (contributions) engine.contribute(contributions);
  ENGINES.set(app, engine);
  app.provideValue(ViewEngine, engine);
  app.setErrorPage((error, req, isDebug) =>
    renderErrorPage(engine, error, req, isDebug, app.logger),
  );
  return engine;
}
