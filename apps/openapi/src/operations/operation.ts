import type { Scope } from '@enginy/policy/scopes';
import type { Static, TSchema } from 'typebox';
import type { Principal } from '../auth/principal.ts';
import type { ErrorCode } from '../errors.ts';
import type { Tag } from './tags.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

type Part<T> = T extends TSchema ? Static<T> : undefined;

/** An operation's input once validated (defaults filled in, text coerced), whichever adapter it came through. */
export interface OperationInput<TParams, TQuery, TBody> {
  params: Part<TParams>;
  query: Part<TQuery>;
  body: Part<TBody>;
}

/**
 * One operation of the API, defined once: the REST adapter registers its route from this
 * (rest/operation-routes.ts), the OpenAPI document describes it from that route, and the MCP
 * adapter makes it a tool (mcp/tool-catalogue.ts) that calls `handler` directly.
 */
export interface OperationSpec<TParams, TQuery, TBody> {
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/v1/contacts/{contactId}`. */
  path: string;
  /** Short imperative phrase; the MCP server turns it into the tool name, so keep it distinct. */
  summary: string;
  description: string;
  tag: Tag;
  scope: Scope;
  perMinute: number;
  params?: TParams;
  querystring?: TQuery;
  body?: TBody;
  /** The success response (`status`, 200 unless given). */
  response: TSchema;
  status?: number;
  /** Error codes this operation can answer with beyond the ones every operation can. */
  errors?: ErrorCode[];
  /** Runs for a caller whose scope was checked and whose input was validated; throws an ApiError to refuse. */
  handler(principal: Principal, input: OperationInput<TParams, TQuery, TBody>): Promise<unknown>;
}

export type Operation = OperationSpec<TSchema | undefined, TSchema | undefined, TSchema | undefined>;

/** An operation with its handler's input typed from its own schemas. */
export function defineOperation<
  TParams extends TSchema | undefined = undefined,
  TQuery extends TSchema | undefined = undefined,
  TBody extends TSchema | undefined = undefined,
>(spec: OperationSpec<TParams, TQuery, TBody>): Operation {
  return spec as unknown as Operation;
}

/**
 * The description the document and the tool both show: the operation's own, then its scope and
 * rate limit in prose, `**Required scope:** X` and `**Rate limit:** N requests per minute`.
 */
export function statedDescription(operation: Operation): string {
  return `${operation.description}\n\n**Required scope:** ${operation.scope}\n\n**Rate limit:** ${operation.perMinute} requests per minute`;
}

/** A result with response headers of its own (e.g. `idempotent-replayed`); MCP answers the body alone. */
export class WithHeaders {
  constructor(
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {}
}
