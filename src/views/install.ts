import { join, resolve } from 'node:path';
import type { Config } from '../config/config';
import { FlagonError } from '../errors/flagon-error';
import type { MountedModule } from '../modules/module-graph';
import type { UrlForOptions, UrlParams } from '../routing/url-for';
import { staticEndpoint, staticFolderOf } from '../files/static';
import { flagonRoot } from '../util/package-root';
import { ViewEngine, type ViewContributions } from './engine';
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

/** What the view engine needs from the app that owns it. */
export interface ViewSettings {
  readonly root: string;
  readonly config: Config;
  readonly mounted: readonly MountedModule[];
  readonly urlFor: (endpoint: string, params?: UrlParams, options?: UrlForOptions) => string;
  readonly contributions: ViewContributions | undefined;
}

/**
 * The view engine of an app, usable right after `createApp` (before init), for apps and
 * extensions that register helpers; the same as `app.resolve(ViewEngine)`.
 *
 * @example
 * viewEngineOf(app).registerHelper('year', () => new Date().getFullYear());
 */
export function viewEngineOf(app: { resolve(token: typeof ViewEngine): ViewEngine }): ViewEngine {
  return app.resolve(ViewEngine);
}

/**
 * Builds an app's view engine: template folders (`<root>/templates`, then each module's
 * `templates` in registration order, relative ones resolved against the root, then Flagon's
 * built-in pages), the built-in helpers and the app's own contributions.
 */
export function createViewEngine(settings: ViewSettings): ViewEngine {
  const { root, config, mounted } = settings;
  const folders = [resolve(root, 'templates')];
  for (const module of mounted) {
    if (module.templates !== undefined) folders.push(resolve(root, module.templates));
  }
  folders.push(builtinTemplates());
  const isAutoReload = config.get('TEMPLATES_AUTO_RELOAD') ?? config.get('DEBUG');
  const engine = new ViewEngine({ folders: [...new Set(folders)], isAutoReload });
  const staticFolders = new Map<string, string>();
  for (const module of mounted) {
    const folder = staticFolderOf(module);
    if (folder !== undefined) staticFolders.set(staticEndpoint(module), folder);
  }
  registerBuiltinHelpers(engine, { urlFor: settings.urlFor, staticFolders, isAutoReload });
  if (settings.contributions) engine.contribute(settings.contributions);
  return engine;
}
