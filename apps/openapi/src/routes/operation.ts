import type { Scope } from '@enginy/policy/scopes';
import type { TSchema } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { ErrorResponse } from '../schemas/common.ts';

export interface OperationSpec<B, Q, P, R, S extends number> {
  /** Short imperative phrase; the MCP server turns it into the tool name, so keep it distinct. */
  summary: string;
  description: string;
  tag: string;
  scope: Scope;
  perMinute: number;
  body?: B;
  querystring?: Q;
  params?: P;
  /** The success response (`status`, 200 unless given). */
  response: R;
  status?: S;
  /** Error codes this operation can answer with beyond the ones every operation can. */
  errors?: ErrorCode[];
}

// Every operation behind the gate can answer these.
const ALWAYS: ErrorCode[] = ['unauthenticated', 'insufficient_scope', 'validation_error', 'rate_limited'];

const camel = (summary: string) =>
  summary
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');

/**
 * A route's options from one description: the schema that validates, serializes and documents it,
 * the scope the gate enforces and the rate limit. Scope and limit are also written into the
 * description as `**Required scope:** X` and `**Rate limit:** N requests per minute`, which is where
 * the MCP server (and a person reading /docs) finds them.
 */
export function operation<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined, R extends TSchema, S extends number = 200>(
  spec: OperationSpec<B, Q, P, R, S>,
) {
  const statuses = [...new Set([...ALWAYS, ...(spec.errors ?? [])].map((code) => ERROR_CODES[code]))].sort();
  const errorResponses = Object.fromEntries(statuses.map((status) => [status, { ...ErrorResponse, description: codesFor(status, spec.errors) }]));
  return {
    schema: {
      summary: spec.summary,
      operationId: camel(spec.summary),
      tags: [spec.tag],
      description: `${spec.description}\n\n**Required scope:** ${spec.scope}\n\n**Rate limit:** ${spec.perMinute} requests per minute`,
      security: [{ apiKey: [] }],
      // Only the parts an operation has: Fastify warns about (and documents) an explicit undefined.
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.querystring ? { querystring: spec.querystring } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      response: { [spec.status ?? 200]: spec.response, ...errorResponses } as { [K in S]: R },
    } as { body: B; querystring: Q; params: P; response: { [K in S]: R } } & Record<string, unknown>,
    config: { scope: spec.scope, rateLimit: { max: spec.perMinute, timeWindow: 60_000 } },
  };
}

function codesFor(status: number, extra: ErrorCode[] = []): string {
  const codes = [...ALWAYS, ...extra].filter((code) => ERROR_CODES[code] === status);
  return `Error: ${codes.join(', ')}`;
}
