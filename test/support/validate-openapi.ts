import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What the OpenAPI schema validator says of a document. */
export interface OpenApiVerdict {
  readonly valid: boolean;
  readonly version: string;
  readonly errors: unknown;
}

/**
 * Validates a document against the OpenAPI 3.1 schema with @seriousme/openapi-schema-validator,
 * in a child process (the validator is an ES module).
 */
export function validateOpenApi(document: unknown): OpenApiVerdict {
  const result = spawnSync(process.execPath, [join(__dirname, 'openapi-validator-child.mjs')], {
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the OpenAPI validator failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as OpenApiVerdict;
}
