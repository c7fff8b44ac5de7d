/** A JSON Schema type name (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchemaType =
  'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * The JSON Schema keywords Flagon writes (draft 2020-12, OpenAPI 3.1's dialect); `x-` keys are
 * extensions. Schemas are plain data: build them with object literals.
 *
 * @example
 * const title: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
 */
export interface JsonSchema {
  type?: JsonSchemaType | JsonSchemaType[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  deprecated?: boolean;
  contentMediaType?: string;
  [extension: `x-${string}`]: unknown;
}
