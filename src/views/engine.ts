import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type Handlebars from 'handlebars';
import { requestContext } from '../context/request-context';
import { FlagonError, isFlagonError } from '../errors/flagon-error';
import type { Request } from '../http/request';
import { handlebars, safeString } from './handlebars';
import { createDictionary } from '../util/dictionary';

/** A template helper: positional arguments, then Handlebars' options object (hash, fn, inverse, data). */
export type TemplateHelper = (this: unknown, ...args: unknown[]) => unknown;

/** Adds variables to every template rendered during a request (Flask's `context_processor`). */
export type ContextProcessor = (req: Request) => Readonly<Record<string, unknown>>;

/** Helpers, globals and context processors to register; used by `createApp({ views })` and extension modules. */
export interface ViewContributions {
  readonly helpers?: Readonly<Record<string, TemplateHelper>>;
  readonly globals?: Readonly<Record<string, unknown>>;
  readonly contextProcessors?: readonly ContextProcessor[];
}

export interface ViewEngineOptions {
  /** Template folders in search order: the app's first, then each module's, then Flagon's built-in pages. */
  readonly folders: readonly string[];
  /** Recompile a template when its file (or one of its partials or layouts) changes. */
  readonly isAutoReload: boolean;
}

interface Dependency {
  readonly name: string;
  readonly file: string;
  readonly mtimeMs: number;
  readonly size: number;
}

interface CompiledView {
  readonly name: string;
  readonly file: string;
  readonly template: HandlebarsTemplateDelegate;
  readonly layout: string | undefined;
  readonly partials: Readonly<Record<string, HandlebarsTemplateDelegate>>;
  /** The files this view was built from (itself and every partial), for the auto-reload check. */
  readonly dependencies: readonly Dependency[];
}

const LAYOUT_COMMENT = /^\s*\{\{!<\s*([^\s}]+)\s*\}\}/;
const MAX_LAYOUT_DEPTH = 10;

/** `layout` → `layout.hbs`; names that already carry an extension are used as they are. */
function fileName(name: string): string {
  return /\.[a-z0-9]+$/i.test(name) ? name : `${name}.hbs`;
}

function lineOf(error: unknown): number | undefined {
  const known = (error as { lineNumber?: unknown }).lineNumber;
  if (typeof known === 'number') return known;
  const message = (error as { message?: unknown }).message;
  const match = typeof message === 'string' ? /line (\d+)/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}

/** Partial names a template uses, found statically in its AST (dynamic `{{> (expr)}}` names are not). */
function collectPartials(program: hbs.AST.Program): { used: Set<string>; inline: Set<string> } {
  const used = new Set<string>();
  const inline = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const typed = node as {
      type?: string;
      name?: { type?: string; original?: unknown };
      path?: { original?: unknown };
      params?: { value?: unknown }[];
    };
    if (
      (typed.type === 'PartialStatement' || typed.type === 'PartialBlockStatement') &&
      typed.name?.type === 'PathExpression'
    ) {
      const name = String(typed.name.original);
      if (!name.startsWith('@')) used.add(name);
    }
    if (
      typed.type === 'DecoratorBlock' &&
      typed.path?.original === 'inline' &&
      typeof typed.params?.[0]?.value === 'string'
    ) {
      inline.add(typed.params[0].value);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'loc' && typeof value === 'object') visit(value);
    }
  };
  visit(program.body);
  return { used, inline };
}

/**
 * The app's template engine: its own Handlebars environment (never the global one), a folder search
 * path where the app's `templates/` comes before every module's, a compile cache, and the helper,
 * global and context-processor registries. Injectable as `ViewEngine`.
 *
 * @example
 * constructor(views: ViewEngine) { views.registerHelper('upper', (text) => String(text).toUpperCase()); }
 */
export class ViewEngine {
  readonly folders: readonly string[];
  /** The app's own Handlebars environment, created on the first compile (see ./handlebars). */
  private environment: typeof Handlebars | undefined;
  /** Helpers by name, kept here so they can be registered before Handlebars is loaded. */
  private readonly helpers = new Map<string, TemplateHelper>();
  private readonly isAutoReload: boolean;
  private readonly cache = new Map<string, CompiledView>();
  private readonly globals: Record<string, unknown> = Object.create(null) as Record<
    string,
    unknown
  >;
  private readonly processors: ContextProcessor[] = [];

  constructor(options: ViewEngineOptions) {
    this.folders = options.folders;
    this.isAutoReload = options.isAutoReload;
    // Handlebars returns '' for an unknown helper called with arguments; name it and its line instead.
    this.registerHelper('helperMissing', (...args: unknown[]) => {
      const options = args[args.length - 1] as Handlebars.HelperOptions & {
        name?: string;
        loc?: { start: { line: number } };
      };
      if (args.length === 1) return undefined;
      throw new Error(
        `Missing helper "${options.name ?? '?'}" on line ${options.loc?.start.line ?? '?'}`,
      );
    });
  }

  /** Registers (or replaces) a helper by name; later registrations win, so apps can override built-ins. */
  registerHelper(name: string, helper: TemplateHelper): this {
    this.helpers.set(name, helper);
    this.environment?.registerHelper(name, helper as Handlebars.HelperDelegate);
    return this;
  }

  /** Whether a helper of that name is registered (Handlebars' built-ins such as `each` included). */
  hasHelper(name: string): boolean {
    return (
      this.helpers.has(name) || Object.prototype.hasOwnProperty.call(this.handlebars.helpers, name)
    );
  }

  private get handlebars(): typeof Handlebars {
    if (this.environment === undefined) {
      const environment = handlebars().create();
      for (const [name, helper] of this.helpers)
        environment.registerHelper(name, helper as Handlebars.HelperDelegate);
      this.environment = environment;
    }
    return this.environment;
  }

  /** A variable every template sees, under the context processors' and the view's own values. */
  registerGlobal(name: string, value: unknown): this {
    this.globals[name] = value;
    return this;
  }

  /** Runs for every render during a request; its values sit between globals and the view's context. */
  addContextProcessor(processor: ContextProcessor): this {
    this.processors.push(processor);
    return this;
  }

  /** Registers helpers, globals and context processors in one call. */
  contribute(contributions: ViewContributions): this {
    for (const [name, helper] of Object.entries(contributions.helpers ?? {}))
      this.registerHelper(name, helper);
    for (const [name, value] of Object.entries(contributions.globals ?? {}))
      this.registerGlobal(name, value);
    for (const processor of contributions.contextProcessors ?? [])
      this.addContextProcessor(processor);
    return this;
  }

  /** Whether a template of that name exists in any folder. */
  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /**
   * Renders a template with its layout chain. Context, lowest first: globals, context processors
   * (during a request), `context`. Throws FLAGON_VIEW_NOT_FOUND naming the folders searched.
   */
  render(name: string, context: object = {}): string {
    const req = requestContext.getStore();
    const merged = Object.assign(createDictionary<unknown>(), this.globals);
    if (req) for (const processor of this.processors) Object.assign(merged, processor(req));
    Object.assign(merged, context);
    const blocks: Record<string, string> = Object.create(null) as Record<string, string>;
    let view = this.load(name);
    let html = this.run(view, merged, blocks);
    for (let depth = 0; view.layout !== undefined; depth++) {
      if (depth >= MAX_LAYOUT_DEPTH) {
        throw new FlagonError(
          'FLAGON_VIEW_TEMPLATE_ERROR',
          `Template "${name}": layouts nest deeper than ${MAX_LAYOUT_DEPTH} (a layout cycle?)`,
        );
      }
      view = this.load(view.layout);
      html = this.run(
        view,
        Object.assign(createDictionary<unknown>(), merged, { body: safeString(html) }),
        blocks,
      );
    }
    return html;
  }

  private run(view: CompiledView, context: object, blocks: Record<string, string>): string {
    try {
      return view.template(context, { partials: view.partials, data: { blocks } });
    } catch (error) {
      if (isFlagonError(error)) throw error;
      const line = lineOf(error);
      throw new FlagonError(
        'FLAGON_VIEW_RENDER_FAILED',
        `Template "${view.name}" (${view.file})${line === undefined ? '' : ` line ${line}`}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  private find(name: string): string | undefined {
    const relative = fileName(name);
    if (isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) return undefined;
    for (const folder of this.folders) {
      const candidate = join(folder, relative);
      if (candidate.startsWith(folder + sep) && existsSync(candidate)) return candidate;
    }
    return undefined;
  }

  private resolve(name: string): string {
    const file = this.find(name);
    if (file === undefined) {
      throw new FlagonError(
        'FLAGON_VIEW_NOT_FOUND',
        `Template "${fileName(name)}" not found; searched: ${this.folders.join(', ')}`,
        { details: { searched: [...this.folders] } },
      );
    }
    return file;
  }

  private load(name: string): CompiledView {
    const cached = this.cache.get(name);
    if (cached && (!this.isAutoReload || this.isFresh(cached))) return cached;
    const view = this.compile(name, new Set());
    this.cache.set(name, view);
    return view;
  }

  private isFresh(view: CompiledView): boolean {
    return view.dependencies.every((dependency) => {
      if (this.find(dependency.name) !== dependency.file) return false;
      try {
        const stat = statSync(dependency.file);
        return stat.mtimeMs === dependency.mtimeMs && stat.size === dependency.size;
      } catch {
        return false;
      }
    });
  }

  private compile(name: string, parents: ReadonlySet<string>): CompiledView {
    const file = this.resolve(name);
    const stat = statSync(file);
    const source = readFileSync(file, 'utf8');
    let program: hbs.AST.Program;
    try {
      program = this.handlebars.parse(source);
    } catch (error) {
      const line = lineOf(error);
      throw new FlagonError(
        'FLAGON_VIEW_TEMPLATE_ERROR',
        `Template "${name}" (${file})${line === undefined ? '' : ` line ${line}`}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const dependencies: Dependency[] = [{ name, file, mtimeMs: stat.mtimeMs, size: stat.size }];
    const partials: Record<string, HandlebarsTemplateDelegate> = Object.create(null) as Record<
      string,
      HandlebarsTemplateDelegate
    >;
    const { used, inline } = collectPartials(program);
    const chain = new Set([...parents, name]);
    for (const partialName of used) {
      if (inline.has(partialName) || chain.has(partialName)) continue;
      let partial: CompiledView;
      try {
        partial = this.compile(partialName, chain);
      } catch (error) {
        if (!isFlagonError(error) || error.code !== 'FLAGON_VIEW_NOT_FOUND') throw error;
        throw new FlagonError(
          'FLAGON_VIEW_NOT_FOUND',
          `Partial "${partialName}" used by "${name}" (${file}) not found; searched: ${this.folders.join(', ')}`,
          {
            cause: error,
            details: error.details,
          },
        );
      }
      partials[partialName] = partial.template;
      Object.assign(partials, partial.partials);
      dependencies.push(...partial.dependencies);
    }
    return {
      name,
      file,
      template: this.handlebars.compile(program),
      layout: LAYOUT_COMMENT.exec(source)?.[1],
      partials,
      dependencies,
    };
  }
}

/** Resolves a module's template or static folder: absolute paths as given, relative ones against the app root. */
export function resolveFolder(root: string, folder: string): string {
  return resolve(root, folder);
}
