import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { type Operation, statedDescription } from '../operations/operation.ts';
import { ErrorResponse } from '../schemas/common.ts';

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
 * An operation's route schema: what validates, serializes and documents it. The document states the
 * scope as data, in the operation's `x-required-scope` (for clients that read it), and both scope and
 * limit in prose at the end of the description, for a person reading /docs.
 */
export function routeSchema(spec: Operation): Record<string, unknown> {
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
    summary: spec.summary,
    operationId: camel(spec.summary),
    tags: [spec.tag],
    description: statedDescription(spec),
    // A Specification Extension (OpenAPI 3.1 allows `x-` keys on an operation); @fastify/swagger copies it there.
    'x-required-scope': spec.scope,
    security: [{ apiKey: [] }],
    // Only the parts an operation has: Fastify warns about (and documents) an explicit undefined.
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.querystring ? { querystring: spec.querystring } : {}),
    ...(spec.params ? { params: spec.params } : {}),
    response: { [spec.status ?? 200]: spec.response, ...errorResponses },
  };
}

function codesFor(status: number, codes: ErrorCode[]): string {
  return `Error: ${codes.filter((code) => ERROR_CODES[code] === status).join(', ')}`;
}
