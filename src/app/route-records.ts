import type { RouteDefinition } from '../routing/route-table';
import { Router } from '../routing/router';
import type { ParsedRule } from '../routing/rule';
import type { RouteRecord } from './kernel';

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Parses route params with the rule's converters; `undefined` when a converter rejects (→ 404). */
function buildParamParser(route: RouteDefinition): RouteRecord['parseParams'] {
  const params = route.rule.parts.flatMap((part) =>
    part.kind === 'param'
      ? [
          {
            name: part.name,
            key: part.converter.isPath ? '*' : part.name,
            converter: part.converter,
          },
        ]
      : [],
  );
  // Routes without parameters share one frozen empty object (nothing to allocate per request).
  if (params.length === 0) return () => NO_PARAMS;
  return (raw) => {
    const parsed: Record<string, unknown> = {};
    for (const { name, key, converter } of params) {
      const text = raw[key];
      if (text === undefined) return undefined;
      let value: unknown;
      try {
        value = converter.parse(text);
      } catch {
        return undefined;
      }
      if (value === undefined) return undefined;
      parsed[name] = value;
    }
    return parsed;
  };
}

/**
 * Puts every route of the table into one router, each with a record whose runner starts as
 * `startFirst(route)` (the app's init, then the real runner) until init prepares it.
 */
export function buildRouter(
  table: readonly RouteDefinition[],
  startFirst: (route: RouteDefinition) => RouteRecord['run'],
): {
  router: Router<RouteRecord>;
  records: Map<RouteDefinition, RouteRecord>;
  needsHeadEntries: boolean;
} {
  const router = new Router<RouteRecord>();
  const records = new Map<RouteDefinition, RouteRecord>();
  // A GET route answers HEAD with its own record (no second pipeline). Without any declared HEAD
  // route the router falls back to GET by itself; with one, implicit HEADs need their own tree
  // entries so that a declared `HEAD /x/<id>` cannot capture `HEAD /x/static`.
  const needsHeadEntries = table.some((route) => route.method === 'HEAD' && !route.isImplicitHead);
  const getRecords = new Map<ParsedRule, RouteRecord>();
  for (const route of table) {
    const owner = `${route.controller.name}.${route.methodName}`;
    if (route.isImplicitHead) {
      const getRecord = getRecords.get(route.rule);
      if (needsHeadEntries && getRecord)
        router.add('HEAD', route.rule.routerPath, getRecord, owner);
      continue;
    }
    const record: RouteRecord = {
      endpoint: route.endpoint,
      parseParams: buildParamParser(route),
      run: startFirst(route),
    };
    records.set(route, record);
    if (route.method === 'GET') getRecords.set(route.rule, record);
    router.add(route.method, route.rule.routerPath, record, owner);
  }
  return { router, records, needsHeadEntries };
}
