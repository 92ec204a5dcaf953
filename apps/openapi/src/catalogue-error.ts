import { ConstraintViolationError, DatabaseUnavailableError } from '@enginy/db/errors';
import { invalidInputProblem } from '@enginy/service/http-errors';
import type { FastifyBaseLogger, FastifyError } from 'fastify';
import { ApiError, apiError, type ErrorCode } from './errors.ts';
import { validationProblems } from './validation/problems.ts';

// Fastify's own client errors, mapped onto the catalogue.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

// PostgreSQL errors that only a bad input value can cause: a data exception (class 22) or a
// constraint the request broke (class 23). The request was wrong, not the server.
function fromPostgres(error: { code?: unknown; message: string }): ApiError | undefined {
  const problem = invalidInputProblem(error);
  if (problem !== undefined) return apiError('validation_error', problem);
  if (!(error instanceof ConstraintViolationError)) return undefined;
  if (error.constraint === 'unique') return apiError('conflict', 'A record with these values already exists');
  if (error.constraint === 'foreign_key')
    return apiError('invalid_reference', 'A referenced record does not exist in this workspace');
  return apiError('validation_error', 'A value in the request cannot be stored (invalid characters or out of range)');
}

/**
 * Whatever a route, a hook, an operation's handler or Fastify itself threw, as an error of the
 * catalogue (errors.ts) and the status to answer it with: the REST error handler renders it, and the
 * MCP adapter puts the very same answer in its tool error.
 */
export function catalogueError(
  raw: FastifyError | ApiError | Error,
  log: FastifyBaseLogger,
): { error: ApiError; status: number } {
  if (raw instanceof ApiError) return { error: raw, status: raw.statusCode };
  const thrown = raw as FastifyError;
  if (thrown.validation) {
    const { message, problems } = validationProblems(thrown.validation, thrown.validationContext);
    return { error: apiError('validation_error', message, problems), status: 422 };
  }
  if (thrown instanceof DatabaseUnavailableError) {
    log.warn({ err: thrown }, 'database unavailable');
    const error = apiError(
      'service_unavailable',
      'The service is temporarily unavailable (its database cannot be reached); try again in a few seconds',
    );
    return { error, status: error.statusCode };
  }
  const known = FASTIFY_CODES[thrown.code] ?? fromPostgres(thrown);
  const error = typeof known === 'string' ? apiError(known, thrown.message) : known;
  if (error !== undefined) return { error, status: error.statusCode };
  const status = thrown.statusCode ?? 500;
  if (status >= 400 && status < 500) return { error: apiError('bad_request', thrown.message), status };
  log.error({ err: thrown }, 'unhandled error');
  return { error: apiError('internal_error', 'Something went wrong on our side'), status: 500 };
}
