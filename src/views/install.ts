import { join, resolve } from 'node:path';
import type { FlagonApp } from '../app/create-app';
import { FlagonError } from '../errors/flagon-error';
import type { MountedModule } from '../modules/module-graph';
import { staticEndpoint, staticFolderOf } from '../files/static';
import { flagonRoot } from '../util/package-root';
import { ViewEngine, type ViewContributions } from './engine';
import { renderErrorPage } from './error-pages';
import { registerBuiltinHelpers } from './helpers';

/** Flagon's own templates (the default error pages), searched after the app's and the modules'. */
function builtinTemplates(): string {
  const root = flagonRoot();
  if (root === undefined) {
    throw new FlagonError(
      'FLAGON_VIEW_NOT_FOUND',
      `Flagon's built-in templates were not found: no package.json named "flagon" above ${__dirname}; reinstall flagon`,
    );
  }
  return join(root, 'templates');
}

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
  folders.push(builtinTemplates());
  const isAutoReload = app.config.get('TEMPLATES_AUTO_RELOAD') ?? app.config.get('DEBUG');
  const engine = new ViewEngine({ folders: [...new Set(folders)], isAutoReload });
  const staticFolders = new Map<string, string>();
  for (const module of mounted) {
    const folder = staticFolderOf(module);
    if (folder !== undefined) staticFolders.set(staticEndpoint(module), folder);
  }
  registerBuiltinHelpers(engine, {
    urlFor: (endpoint, params, options) => app.urlFor(endpoint, params, options),
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
