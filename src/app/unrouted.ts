import type { ServerResponse } from 'node:http';
import type { Request } from '../http/request';
import { Response } from '../http/response';
import { toResponse } from '../http/result';
import type { BeforeStep } from '../modules/extension';
import type { MountedModule } from '../modules/module-graph';
import { respondToError, sendLastResort } from './error-response';
import { composeHookChain, type ModuleHooks, type ScopeHooks } from './hook-chain';
import { isPromiseLike } from './invoker';
import type { PipelineShared } from './pipeline-shared';
import { completeRequest } from './request-completion';
import { errorHeadersFor, headersFor, type ResponseHeaders } from './route-headers';
import type { HookChain } from './route-runner';

/**
 * Answers a request no route takes: `answer` is the error (404, 405) or the automatic response
 * (OPTIONS, the trailing-slash redirect) that goes through the scope's hooks.
 */
export type UnroutedRunner = (req: Request, res: ServerResponse, answer: Response | Error) => void;

/** Picks the runner for an unrouted path: the scope of the module that owns its prefix. */
export type UnroutedScopes = (path: string) => UnroutedRunner;

/**
 * Builds the runners for unrouted requests, one per module prefix. Like Flask for a 404: the
 * app-wide before steps run (a built-in loads the session, so error pages see the current user),
 * module before hooks do not; the owning modules' after hooks and error handlers apply, then the
 * app-wide ones.
 */
export function buildUnroutedScopes(
  mounted: readonly MountedModule[],
  hooksOf: (module: MountedModule) => ModuleHooks,
  appWide: ScopeHooks,
  headers: ResponseHeaders,
  shared: PipelineShared,
): UnroutedScopes {
  const roots = mounted.filter((module) => module.ancestry.length === 1);
  const runnerFor = (prefix: string): UnroutedRunner => {
    const owner = mounted
      .filter((module) => module.prefix === prefix)
      .sort((a, b) => a.ancestry.length - b.ancestry.length)[0];
    const ancestry = owner?.ancestry ?? [];
    const others = roots
      .filter((module) => !ancestry.includes(module) && covers(module, prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    const chain = composeHookChain([...ancestry, ...others], hooksOf, appWide);
    // Module before hooks are for routes; only the app-wide ones run before an unrouted answer.
    const unroutedChain: HookChain = { ...chain, before: appWide.before };
    return (req, res, answer) => void runUnrouted(unroutedChain, headers, shared, req, res, answer);
  };
  // Imported modules own their prefix too, so a nested blueprint's 404 handler sees its unrouted paths.
  const prefixes = [...new Set(mounted.map((module) => module.prefix))]
    .filter((prefix) => prefix !== '/')
    .sort((a, b) => b.length - a.length);
  const scopes = prefixes.map((prefix) => [prefix, runnerFor(prefix)] as const);
  const fallback = runnerFor('/');
  return (path) => {
    for (const [prefix, runner] of scopes) {
      if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))
        return runner;
    }
    return fallback;
  };
}

function covers(module: MountedModule, prefix: string): boolean {
  return (
    module.prefix === '/' ||
    prefix === module.prefix ||
    prefix.startsWith(`${module.prefix.replace(/\/$/, '')}/`)
  );
}

async function runUnrouted(
  chain: HookChain,
  headers: ResponseHeaders,
  shared: PipelineShared,
  req: Request,
  res: ServerResponse,
  answer: Response | Error,
): Promise<void> {
  try {
    let response: Response;
    let failure: unknown;
    try {
      const early = await runBeforeSteps(chain.before, req);
      if (early !== undefined) response = toResponse(early, 200);
      else if (answer instanceof Response) response = answer;
      else throw answer;
    } catch (error) {
      failure = error;
      response = await respondToError(error, req, chain.errorScopes, shared);
    }
    const sendHeaders =
      failure === undefined ? headersFor(headers, req) : errorHeadersFor(headers, req);
    await completeRequest(chain, response, failure, req, res, sendHeaders, shared);
  } catch (error) {
    shared.logger.error({ err: error, reqId: req.id }, 'error pipeline failed');
    sendLastResort(res);
  }
}

/** The app-wide before steps in order; the first value other than `undefined` answers instead. */
async function runBeforeSteps(before: readonly BeforeStep[], req: Request): Promise<unknown> {
  for (const step of before) {
    const result = step(req);
    const early = isPromiseLike(result) ? await result : result;
    if (early !== undefined) return early;
  }
  return undefined;
}
