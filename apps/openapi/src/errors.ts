import type { FastifyReply } from 'fastify';

/**
 * The REST API's error catalogue, one table: every code the API answers with and its status. Every
 * error leaves as `{ status: "error", code, message }` with one of these codes; the OpenAPI document
 * lists, per operation, the codes it can answer with (rest/route-schema.ts). Operations throw an
 * ApiError; one handler renders all of them (plugins/error-handler.ts).
 */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_api_key: 401,
  insufficient_credits: 402,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_status_transition: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  invalid_reference: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error of the catalogue: its status is the one the table gives its code. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = ERROR_CODES[code];
  }
}

export const apiError = (code: ErrorCode, message: string, details?: unknown) => new ApiError(code, message, details);

export const notFound = (what: string) => apiError('not_found', `${what} not found`);

/** A body field that names a row the workspace does not have, e.g. `contactIds[2]`. */
export const invalidReference = (path: string, what: string) =>
  apiError('invalid_reference', `${path}: ${what} not found in this workspace`, [
    { path, message: `${what} not found in this workspace` },
  ]);

/**
 * Answers `error` in the envelope, `details` only when there are some. The status is the code's,
 * unless `status` says otherwise: a client error Fastify raised with a status of its own (a 414, a
 * 431) keeps it, said as `bad_request`.
 */
export function sendError(reply: FastifyReply, error: ApiError, status: number = error.statusCode): FastifyReply {
  return reply.code(status).send({
    status: 'error',
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  });
}
