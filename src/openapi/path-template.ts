import type { JsonSchema } from '../schema/json-schema';

/** One path variable of a rule: its name and its converter's name. */
export interface PathVariable {
  readonly name: string;
  readonly converter: string;
}

// The variable syntax of src/routing/rule.ts (`<name>` or `<converter:name>`).
const VARIABLE = /<(?:([a-zA-Z_][a-zA-Z0-9_]*):)?([a-zA-Z_][a-zA-Z0-9_]*)>/g;

/**
 * A Flagon rule as an OpenAPI path template: `/posts/<int:id>` → `/posts/{id}`, with its variables.
 *
 * @example
 * toPathTemplate('/files/<path:rest>'); // { path: '/files/{rest}', variables: [{ name: 'rest', converter: 'path' }] }
 */
export function toPathTemplate(rule: string): { path: string; variables: PathVariable[] } {
  const variables: PathVariable[] = [];
  const path = rule.replace(VARIABLE, (_match, converter: string | undefined, name: string) => {
    variables.push({ name, converter: converter ?? 'string' });
    return `{${name}}`;
  });
  return { path, variables };
}

/** The built-in converters' values as JSON Schema (Werkzeug's ints and floats are unsigned). */
export const CONVERTER_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  string: { type: 'string' },
  int: { type: 'integer', minimum: 0 },
  float: { type: 'number', minimum: 0 },
  uuid: { type: 'string', format: 'uuid' },
  path: { type: 'string' },
};
