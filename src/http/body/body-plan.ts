import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/config';
import type { Constructor } from '../../di/tokens';
import { getConsumes, type BodyKind } from './consumes';

/** Per-route overrides of the app's body limits (`@BodyLimits`). */
export interface BodyLimitOptions {
  /** Largest body in bytes (MAX_CONTENT_LENGTH). */
  readonly maxContentLength?: number;
  /** Most form fields / multipart parts (MAX_FORM_PARTS). */
  readonly maxFormParts?: number;
  /** Largest url-encoded body / multipart text field (MAX_FORM_MEMORY_SIZE). */
  readonly maxFormMemorySize?: number;
  /** Largest uploaded file (MAX_FILE_SIZE). */
  readonly maxFileSize?: number;
  /** Most uploaded files (MAX_FILE_COUNT). */
  readonly maxFileCount?: number;
  /** Deepest JSON nesting (JSON_MAX_DEPTH). */
  readonly jsonMaxDepth?: number;
}

/** What `@UploadedFile(field, rule)` declares for one field. */
export interface UploadRule {
  /** Largest file in bytes for this field: 413 above it. */
  readonly maxSize?: number;
  /** Allowed media types, checked against the sniffed type: 400 otherwise. */
  readonly mimeTypes?: readonly string[];
}

/** Everything a route's body parsing needs, resolved once at startup. */
export interface BodyPlan {
  readonly maxContentLength: number;
  readonly maxFormParts: number;
  readonly maxFormMemorySize: number;
  readonly maxFileSize: number;
  readonly maxFileCount: number;
  readonly jsonMaxDepth: number;
  /** Limit names for messages: the config key, or the decorator when the route overrides it. */
  readonly names: Readonly<Record<keyof BodyLimitOptions, string>>;
  readonly uploads: ReadonlyMap<string, UploadRule>;
  /** The body kinds `@Consumes` allows; `undefined`: every kind Flagon parses. */
  readonly consumes: readonly BodyKind[] | undefined;
  /** The folder uploads stream into (created on first use). */
  readonly tempDir: () => string;
}

interface RouteInput {
  limits?: BodyLimitOptions;
  uploads: Map<string, UploadRule>;
}

const INPUT = Symbol('flagon:input');
const CLASS_LIMITS = Symbol('flagon:body-limits');

function routeInput(controller: Constructor, methodName: string): RouteInput | undefined {
  const all = Reflect.getOwnMetadata(INPUT, controller) as Map<string, RouteInput> | undefined;
  return all?.get(methodName);
}

/** Records that a handler reads the body (so CSRF may read a multipart token from it), plus upload rules. */
export function markBodyRoute(
  target: object,
  methodName: string,
  upload?: { field: string; rule: UploadRule },
): void {
  const controller = target.constructor;
  let all = Reflect.getOwnMetadata(INPUT, controller) as Map<string, RouteInput> | undefined;
  if (!all) {
    all = new Map();
    Reflect.defineMetadata(INPUT, all, controller);
  }
  let entry = all.get(methodName);
  if (!entry) {
    entry = { uploads: new Map() };
    all.set(methodName, entry);
  }
  if (upload) entry.uploads.set(upload.field, upload.rule);
}

/** The upload fields a handler declares (`@UploadedFile(field, rule)`), by field. */
export function declaredUploads(
  controller: Constructor,
  methodName: string,
): ReadonlyMap<string, UploadRule & { readonly optional?: boolean }> {
  return routeInput(controller, methodName)?.uploads ?? new Map<string, UploadRule>();
}

/** True when a route's handler has a body or upload parameter. */
export function readsBody(controller: Constructor, methodName: string): boolean {
  return routeInput(controller, methodName) !== undefined;
}

/**
 * Overrides the app's body limits for one handler (or every handler of a controller).
 *
 * @example
 * @Post('/import') @BodyLimits({ maxContentLength: 50 * 1024 * 1024, maxFileCount: 1 })
 * import(@UploadedFile('archive') archive: UploadedFile) {}
 */
export function BodyLimits(options: BodyLimitOptions): MethodDecorator & ClassDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) {
      Reflect.defineMetadata(CLASS_LIMITS, options, target);
      return;
    }
    markBodyRoute(target, String(propertyKey));
    (
      routeInput(
        (target as { constructor: Constructor }).constructor,
        String(propertyKey),
      ) as RouteInput
    ).limits = options;
  };
}

const tempDirs = new WeakMap<Config, string>();

function tempDirFor(config: Config): () => string {
  return () => {
    let dir = tempDirs.get(config);
    if (dir === undefined) {
      dir = config.get('UPLOAD_TEMP_DIR') ?? mkdtempSync(join(tmpdir(), 'flagon-uploads-'));
      tempDirs.set(config, dir);
    }
    return dir;
  };
}

const plans = new WeakMap<Config, Map<Constructor, Map<string, BodyPlan>>>();

/** The route's body plan: config defaults, then the controller's and the handler's @BodyLimits. Memoised per app. */
export function getBodyPlan(config: Config, controller: Constructor, methodName: string): BodyPlan {
  let byController = plans.get(config);
  if (!byController)
    plans.set(config, (byController = new Map<Constructor, Map<string, BodyPlan>>()));
  let byMethod = byController.get(controller);
  if (!byMethod) byController.set(controller, (byMethod = new Map<string, BodyPlan>()));
  const existing = byMethod.get(methodName);
  if (existing) return existing;

  const input = routeInput(controller, methodName);
  const classLimits = Reflect.getMetadata(CLASS_LIMITS, controller) as BodyLimitOptions | undefined;
  const overrides: BodyLimitOptions = { ...classLimits, ...input?.limits };
  const pick = (
    key: keyof BodyLimitOptions,
    configKey: string,
    fallback: number,
  ): [number, string] =>
    overrides[key] !== undefined ? [overrides[key], `@BodyLimits ${key}`] : [fallback, configKey];
  const maxContentLength = pick(
    'maxContentLength',
    'MAX_CONTENT_LENGTH',
    config.get('MAX_CONTENT_LENGTH'),
  );
  const entries = {
    maxContentLength,
    maxFormParts: pick('maxFormParts', 'MAX_FORM_PARTS', config.get('MAX_FORM_PARTS')),
    maxFormMemorySize: pick(
      'maxFormMemorySize',
      'MAX_FORM_MEMORY_SIZE',
      config.get('MAX_FORM_MEMORY_SIZE'),
    ),
    maxFileSize: pick(
      'maxFileSize',
      'MAX_FILE_SIZE',
      config.get('MAX_FILE_SIZE') ?? maxContentLength[0],
    ),
    maxFileCount: pick('maxFileCount', 'MAX_FILE_COUNT', config.get('MAX_FILE_COUNT')),
    jsonMaxDepth: pick('jsonMaxDepth', 'JSON_MAX_DEPTH', config.get('JSON_MAX_DEPTH')),
  };
  const plan: BodyPlan = {
    maxContentLength: entries.maxContentLength[0],
    maxFormParts: entries.maxFormParts[0],
    maxFormMemorySize: entries.maxFormMemorySize[0],
    maxFileSize: entries.maxFileSize[0],
    maxFileCount: entries.maxFileCount[0],
    jsonMaxDepth: entries.jsonMaxDepth[0],
    names: {
      maxContentLength: entries.maxContentLength[1],
      maxFormParts: entries.maxFormParts[1],
      maxFormMemorySize: entries.maxFormMemorySize[1],
      maxFileSize: entries.maxFileSize[1],
      maxFileCount: entries.maxFileCount[1],
      jsonMaxDepth: entries.jsonMaxDepth[1],
    },
    uploads: input?.uploads ?? new Map(),
    consumes: getConsumes(controller, methodName),
    tempDir: tempDirFor(config),
  };
  byMethod.set(methodName, plan);
  return plan;
}
