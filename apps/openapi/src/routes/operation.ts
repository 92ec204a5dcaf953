import type { Scope } from '@enginy/policy/scopes';
import type { TSchema } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { ErrorResponse } from '../schemas/common.ts';
import type { Tag } from './tags.ts';

export interface OperationSpec<TBody, TQuery, TParams, TResponse, TStatus extends number> {
  /** Short imperative phrase; the MCP server turns it into the tool name, so keep it distinct. */
  summary: string;
  description: string;
  tag: Tag;
  scope: Scope;
  perMinute: number;
  body?: TBody;
  querystring?: TQuery;
  params?: TParams;
  /** The success response (`status`, 200 unless given). */
  response: TResponse;
  status?: TStatus;
  /** Error codes this operation can answer with beyond the ones every operation can. */
  errors?: ErrorCode[];
}

// Every operation behind the gate can answer these: no or a bad credential, a missing scope, its
// rate limit, and the server's own failures (503 with Retry-After while the database is unreachable).
const ALWAYS: ErrorCode[] = [
  'unauthenticated',
  'invalid_api_key',
  'insufficient_scope',
  'rate_limited',
  'internal_error',
  'service_unavailable',
];
// Any input can be invalid (422); a JSON body can also be malformed (400), too large (413) or of
// another media type (415); a path parameter can be undecodable percent-encoding (400).
const WITH_INPUT: ErrorCode[] = ['validation_error'];
const WITH_BODY: ErrorCode[] = ['invalid_json', 'bad_request', 'payload_too_large', 'unsupported_media_type'];
const WITH_PARAMS: ErrorCode[] = ['bad_request'];

/** The error codes an operation can answer with, so that each of their statuses is documented. */
export function errorCodes(spec: {
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  errors?: ErrorCode[];
}): ErrorCode[] {
  const input = spec.body !== undefined || spec.querystring !== undefined || spec.params !== undefined;
  const codes = [
    ...ALWAYS,
    ...(input ? WITH_INPUT : []),
    ...(spec.body ? WITH_BODY : []),
    ...(spec.params ? WITH_PARAMS : []),
    ...(spec.errors ?? []),
  ];
  return [...new Set(codes)];
}

const camel = (summary: string) =>
  summary
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');

/**
 * A route's options from one description: the schema that validates, serializes and documents it,
 * the scope the gate enforces and the rate limit. The document states the scope as data, in the
 * operation's `x-required-scope` (where the MCP tool catalogue reads it), and both scope and limit
 * in prose at the end of the description, `**Required scope:** X` and `**Rate limit:** N requests
 * per minute`, for a person reading /docs.
 */
export function operation<
  TBody extends TSchema | undefined,
  TQuery extends TSchema | undefined,
  TParams extends TSchema | undefined,
  TResponse extends TSchema,
  TStatus extends number = 200,
>(spec: OperationSpec<TBody, TQuery, TParams, TResponse, TStatus>) {
  const codes = errorCodes(spec);
  const statuses = [...new Set(codes.map((code) => ERROR_CODES[code]))].sort();
  // One envelope for every error status; the published document makes each of them a reference to
  // its one `Error` response (plugins/openapi-publish.ts), described by the codes it can carry.
  const errorResponses = Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: codesFor(status, codes), content: { 'application/json': { schema: ErrorResponse } } },
    ]),
  );
  return {
    schema: {
      summary: spec.summary,
      operationId: camel(spec.summary),
      tags: [spec.tag],
      description: `${spec.description}\n\n**Required scope:** ${spec.scope}\n\n**Rate limit:** ${spec.perMinute} requests per minute`,
      // A Specification Extension (OpenAPI 3.1 allows `x-` keys on an operation); @fastify/swagger copies it there.
      'x-required-scope': spec.scope,
      security: [{ apiKey: [] }],
      // Only the parts an operation has: Fastify warns about (and documents) an explicit undefined.
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.querystring ? { querystring: spec.querystring } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      response: { [spec.status ?? 200]: spec.response, ...errorResponses } as { [K in TStatus]: TResponse },
    } as { body: TBody; querystring: TQuery; params: TParams; response: { [K in TStatus]: TResponse } } & Record<
      string,
      unknown
    >,
    config: { scope: spec.scope, rateLimit: { max: spec.perMinute, timeWindow: 60_000 } },
  };
}

function codesFor(status: number, codes: ErrorCode[]): string {
  return `Error: ${codes.filter((code) => ERROR_CODES[code] === status).join(', ')}`;
}
