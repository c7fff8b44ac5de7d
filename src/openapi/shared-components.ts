import type { JsonSchema } from '../schema/json-schema';
import type { OpenApiResponse } from './openapi-types';

/** The body of every error Flagon answers with JSON (see the error page). */
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'A stable slug, e.g. `not_found`' },
    message: { type: 'string' },
  },
  required: ['error', 'message'],
};

/** The 400 body of a DTO that fails validation (`ValidationFailed`). */
export const VALIDATION_FAILED_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: { const: 'validation_failed' },
    message: { type: 'string' },
    fields: {
      type: 'object',
      description: 'Messages per field; nested fields are dotted paths (`author.name`)',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
  required: ['error', 'message', 'fields'],
};

function errorResponse(description: string, schema: JsonSchema): OpenApiResponse {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_REF: JsonSchema = { $ref: '#/components/schemas/Error' };

/** The shared responses operations refer to (`#/components/responses/…`), by name. */
export const SHARED_RESPONSES = {
  ValidationFailed: errorResponse(
    'The input failed validation (`validation_failed`, with messages per field), or the request is otherwise malformed (a body that does not parse, a missing CSRF token)',
    { anyOf: [{ $ref: '#/components/schemas/ValidationFailed' }, ERROR_REF] },
  ),
  BadRequest: errorResponse(
    'The request is malformed (a body that does not parse, a missing CSRF token)',
    ERROR_REF,
  ),
  Unauthorized: errorResponse('Login required', ERROR_REF),
  Forbidden: errorResponse('Not allowed', ERROR_REF),
  PayloadTooLarge: errorResponse('The body is larger than the route allows', ERROR_REF),
  UnsupportedMediaType: errorResponse('The route does not accept this Content-Type', ERROR_REF),
} as const satisfies Record<string, OpenApiResponse>;

export type SharedResponse = keyof typeof SHARED_RESPONSES;
