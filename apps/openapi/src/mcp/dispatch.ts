import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { missingScopes } from '@enginy/policy/scopes';
import type { FastifyInstance } from 'fastify';
import type { CredentialResolver, Principal } from '../auth/principal.ts';
import { type GeneratedTool, requestUrl } from './tool-catalogue.ts';

const HEADER = 'x-enginy-mcp-dispatch';

/**
 * Runs MCP tool calls through the very same REST routes (validation, scope gate, rate limits,
 * handlers) with `app.inject`. The caller's principal rides along as a single-use random handle
 * that only this process can resolve: nothing a client sends can name one.
 */
export class ToolDispatcher {
  private readonly pending = new Map<string, Principal>();

  constructor(private readonly app: FastifyInstance) {}

  /** The gate's resolver for dispatched calls; registered alongside the API-key resolver. */
  readonly resolver: CredentialResolver = {
    name: 'mcp-dispatch',
    resolve: async (headers: IncomingHttpHeaders) => {
      const handle = headers[HEADER];
      if (typeof handle !== 'string') return undefined;
      const principal = this.pending.get(handle);
      this.pending.delete(handle);
      return principal;
    },
  };

  async call(tool: GeneratedTool, principal: Principal, args: Record<string, unknown>): Promise<ToolCallResult> {
    const missing = missingScopes(principal.scopes, tool.requiredScopes);
    if (missing.length > 0) return toolError(`Tool requires scopes: ${missing.join(', ')}`);

    const { pathParams, query, body } = args as {
      pathParams?: Record<string, unknown>;
      query?: Record<string, unknown>;
      body?: unknown;
    };
    const handle = randomBytes(24).toString('base64url');
    this.pending.set(handle, principal);
    try {
      const response = await this.app.inject({
        method: tool.method,
        url: requestUrl(tool, pathParams, query),
        headers: { [HEADER]: handle, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      const json = parseJson(response.body);
      if (response.statusCode >= 400) {
        const message = typeof json?.message === 'string' ? json.message : `HTTP ${response.statusCode}`;
        // In the MCP schema's order (content, structuredContent, isError), as the SDK server's check wrote it.
        const { content, isError } = toolError(`${message} (HTTP ${response.statusCode})`);
        return { content, ...(json ? { structuredContent: json } : {}), isError };
      }
      return { content: [{ type: 'text', text: response.body }], ...(json ? { structuredContent: json } : {}) };
    } finally {
      this.pending.delete(handle);
    }
  }
}

export interface ToolCallResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function toolError(text: string): ToolCallResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
