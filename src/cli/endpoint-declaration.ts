import { toPathTemplate } from '../openapi/path-template';
import type { RouteInfo } from '../modules/route-info';

/** The TypeScript type `urlFor` takes for a converter's variable. */
const CONVERTER_TYPES: Readonly<Record<string, string>> = {
  string: 'string',
  path: 'string',
  uuid: 'string',
  int: 'number',
  float: 'number',
};

/** A custom converter's value type is not known at run time: its `format` gets what it is given. */
const CUSTOM_TYPE = 'string | number';

function paramsType(rule: string): string {
  const fields = toPathTemplate(rule).variables.map(
    ({ name, converter }) => `${name}: ${CONVERTER_TYPES[converter] ?? CUSTOM_TYPE}`,
  );
  return fields.length === 0 ? 'object' : `{ ${fields.join('; ')} }`;
}

/**
 * The declaration `flagon routes --types` writes: it fills Flagon's `Endpoints` interface in with
 * every endpoint and the typed variables of its rules (a union when an endpoint has several), so
 * the compiler checks `urlFor` calls.
 *
 * @example
 * writeFileSync('src/endpoints.d.ts', endpointDeclaration(app.routes()));
 */
export function endpointDeclaration(routes: readonly RouteInfo[]): string {
  const rulesByEndpoint = new Map<string, Set<string>>();
  for (const route of routes) {
    const rules = rulesByEndpoint.get(route.endpoint) ?? new Set<string>();
    rules.add(route.path);
    rulesByEndpoint.set(route.endpoint, rules);
  }
  const entries = [...rulesByEndpoint]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, rules]) => {
      const types = [...new Set([...rules].map(paramsType))];
      return `    ${JSON.stringify(endpoint)}: ${types.join(' | ')};`;
    });
  return [
    '// Written by `flagon routes --types`: the endpoints `urlFor` accepts, with their URL',
    '// variables. Run it again after changing routes; do not edit.',
    "import 'flagon';",
    '',
    "declare module 'flagon' {",
    '  interface Endpoints {',
    ...entries,
    '  }',
    '}',
    '',
  ].join('\n');
}
