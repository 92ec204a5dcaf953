import { missingScopes } from '@enginy/policy/scopes';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { catalogueError } from '../catalogue-error.ts';
import type { ApiError } from '../errors.ts';
import { WithHeaders } from '../operations/operation.ts';
import { routeSchema } from '../rest/route-schema.ts';
import { validateInput } from '../validation/input-validators.ts';
import type { GeneratedTool } from './tool-catalogue.ts';
import { toolInput } from './tool-input.ts';

type Serialize = (value: unknown) => string;

/**
 * Runs MCP tool calls: the one scope check, then the operation's input validated with the very
 * schemas its REST route is compiled with, its rate limit counted in the same bucket, and its
 * handler called with the caller's principal. The result is the text the REST route answers, byte
 * for byte (serialized by the same compiler, from the same response schemas), and its JSON.
 */
export class ToolRunner {
  private readonly serializers = new Map<GeneratedTool, Record<string, Serialize>>();

  constructor(private readonly app: FastifyInstance) {}

  /** Compiles each tool's response serializers, once the app is ready (Fastify's compiler is set up). */
  prepare(tools: readonly GeneratedTool[]): void {
    const compile = this.app.serializerCompiler;
    if (compile === undefined) throw new Error('mcp: Fastify has no serializer compiler yet');
    for (const tool of tools) {
      const responses = routeSchema(tool.compiled.operation).response as Record<string, unknown>;
      const serializers: Record<string, Serialize> = {};
      for (const [status, response] of Object.entries(responses)) {
        // An error status is documented with its content, `{ content: { 'application/json': { schema } } }`.
        const content = (response as { content?: Record<string, { schema: unknown }> }).content;
        const schema = content?.['application/json']?.schema ?? response;
        serializers[status] = compile({
          schema: schema as object,
          method: tool.method,
          url: tool.path,
          httpStatus: status,
        }) as Serialize;
      }
      this.serializers.set(tool, serializers);
    }
  }

  async call(
    tool: GeneratedTool,
    principal: Principal,
    args: Record<string, unknown>,
    log: FastifyBaseLogger,
  ): Promise<ToolCallResult> {
    const missing = missingScopes(principal.scopes, tool.requiredScopes);
    if (missing.length > 0) return toolError(`Tool requires scopes: ${missing.join(', ')}`);
    const { operation, validators } = tool.compiled;
    try {
      const input = toolInput(tool, args);
      if (!('params' in input)) return this.refusal(tool, input.error, input.status);
      const invalid = validateInput(validators, input);
      if (invalid !== undefined) return this.refusal(tool, invalid, invalid.statusCode);
      const counted = await this.app.countCall(principal, operation);
      if (counted.exceeded !== undefined) return this.refusal(tool, counted.exceeded, counted.exceeded.statusCode);
      const result = await operation.handler(principal, input as never);
      const text = this.serialize(tool, operation.status ?? 200, result instanceof WithHeaders ? result.body : result);
      const json = parseJson(text);
      return { content: [{ type: 'text', text }], ...(json ? { structuredContent: json } : {}) };
    } catch (thrown) {
      const { error, status } = catalogueError(thrown as Error, log);
      return this.refusal(tool, error, status);
    }
  }

  /** The REST route's error answer as a tool error: its message and status, and its body as structured content. */
  private refusal(tool: GeneratedTool, error: ApiError, status: number): ToolCallResult {
    const body = {
      status: 'error',
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
    const json = parseJson(this.serialize(tool, status, body));
    const message = typeof json?.message === 'string' ? json.message : `HTTP ${status}`;
    // In the MCP schema's order (content, structuredContent, isError), as the SDK server's check wrote it.
    const { content, isError } = toolError(`${message} (HTTP ${status})`);
    return { content, ...(json ? { structuredContent: json } : {}), isError };
  }

  // As Fastify serializes a reply: the route's serializer for the status, else JSON.stringify.
  private serialize(tool: GeneratedTool, status: number, value: unknown): string {
    const serialize = this.serializers.get(tool)?.[String(status)];
    return serialize ? serialize(value) : JSON.stringify(value);
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
