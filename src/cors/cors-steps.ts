import type { Request } from '../http/request';
import { Response } from '../http/response';
import type { AfterStep, BeforeStep, RouteSetup } from '../modules/extension';
import { corsPreflight, corsResponseHeaders, isPreflight } from './cors-headers';
import type { CorsPolicy } from './cors-policy';

/** Adds CORS headers to a response, keeping any it set itself and adding Origin to its Vary. */
function addHeaders(response: Response, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    const current = response.getHeader(name);
    if (current === undefined) response.setHeader(name, value);
    else if (name === 'vary' && !/(^|,)\s*origin\s*(,|$)/i.test(String(current)))
      response.setHeader(name, `${String(current)}, ${value}`);
  }
}

/** The after step writing an actual response's CORS headers for the request's Origin. */
function corsAfterStep(policy: CorsPolicy): AfterStep {
  return (response, req) => {
    // A preflight answer carries its own headers already.
    if (response.getHeader('access-control-allow-origin') !== undefined) return;
    addHeaders(response, corsResponseHeaders(policy, req.header('origin')));
  };
}

/**
 * What a route gets from a policy. Any origin (`'*'`) gets the same headers whatever the request,
 * so they are route headers and cost no step; otherwise an after step reads the Origin. An after
 * step, not a before step, because it also runs on the answers of the steps before it (a CSRF or
 * guard refusal), which a browser could not read without the headers.
 */
export function corsRouteSetup(policy: CorsPolicy): RouteSetup {
  // Under '*' every origin gets the same headers: those of any one origin are everyone's.
  if (policy.isAnyOrigin) return { headers: corsResponseHeaders(policy, 'null') };
  return { headers: corsResponseHeaders(policy, undefined), after: corsAfterStep(policy) };
}

/** A route with a policy of its own, for preflights, which no route answers. */
export interface PreflightTarget {
  readonly pattern: RegExp;
  readonly methods: readonly string[];
  readonly policy: CorsPolicy;
}

// The variable syntax of src/routing/rule.ts (`<name>` or `<converter:name>`).
const VARIABLE = /<(?:([a-zA-Z_][a-zA-Z0-9_]*):)?[a-zA-Z_][a-zA-Z0-9_]*>/g;

/** A rule as a RegExp over request paths: `path` variables span slashes, the others do not. */
export function rulePattern(rule: string): RegExp {
  let source = '';
  let last = 0;
  for (const match of rule.matchAll(VARIABLE)) {
    source += escapeRegExp(rule.slice(last, match.index));
    source += match[1] === 'path' ? '.+' : '[^/]+';
    last = match.index + match[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(rule.slice(last))}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The step answering preflights (OPTIONS with Access-Control-Request-Method, which no route
 * answers): with the policy of the route the browser asks about, else the app's. An origin the
 * policy refuses gets Flagon's usual OPTIONS answer, with no CORS header.
 */
export function preflightStep(
  targets: readonly PreflightTarget[],
  fallback: CorsPolicy | undefined,
): BeforeStep {
  return (req: Request) => {
    const request = {
      method: req.method,
      origin: req.header('origin'),
      requestMethod: req.header('access-control-request-method'),
      requestHeaders: req.header('access-control-request-headers'),
    };
    if (!isPreflight(request)) return undefined;
    const requested = String(request.requestMethod).toUpperCase();
    const target = targets.find(
      (candidate) => candidate.methods.includes(requested) && candidate.pattern.test(req.path),
    );
    const policy = target?.policy ?? fallback;
    const answer = policy && corsPreflight(policy, request);
    return answer && new Response(null, answer);
  };
}

/**
 * What requests no route answers get: preflight answers, and CORS headers on 404s, 405s and
 * OPTIONS answers by the policy of the route owning the path (else the app's). They are not on
 * the hot path, so an after step serves every policy.
 */
export function unroutedCorsSetup(
  targets: readonly PreflightTarget[],
  fallback: CorsPolicy | undefined,
): RouteSetup {
  const policyFor = (path: string): CorsPolicy | undefined =>
    targets.find((target) => target.pattern.test(path))?.policy ?? fallback;
  return {
    before: preflightStep(targets, fallback),
    after: (response, req) => {
      const policy = policyFor(req.path);
      if (policy === undefined || response.getHeader('access-control-allow-origin') !== undefined)
        return;
      addHeaders(response, corsResponseHeaders(policy, req.header('origin')));
    },
  };
}
