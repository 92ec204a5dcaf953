import { ErrorCode, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallResult } from './run-tool.ts';
import { isRequest } from './request-transport.ts';
import type { ActiveAccessToken } from './token-lookups.ts';

/** The params of a `tools/call` this endpoint answers (MCP schema, CallToolRequestParams). */
export interface CallToolParams {
  name: string;
  arguments?: Record<string, unknown>;
}

/** Runs one tool call for a token; a thrown McpError becomes the JSON-RPC error. */
export type CallTool = (params: CallToolParams, token: ActiveAccessToken) => Promise<ToolCallResult>;

/**
 * A `tools/call` whose params the endpoint answers itself, without the SDK server: the name is a
 * string, `arguments` (if any) an object, `_meta` (if any) an object whose `progressToken` (if any)
 * is a string or a number, and no `task` (MCP tasks, which this server does not offer). These are
 * the rules of the SDK's CallToolRequestSchema, checked by structure instead of by three zod
 * passes; every other message, a call with unusual params included, still goes to the SDK server,
 * which answers it, or words its error, as before.
 */
export function isPlainToolCall(message: JSONRPCMessage): message is JSONRPCRequest & { params: CallToolParams } {
  if (!isRequest(message) || message.method !== 'tools/call') return false;
  const params = message.params as Record<string, unknown> | undefined;
  if (!isObject(params) || typeof params.name !== 'string' || 'task' in params) return false;
  if (params.arguments !== undefined && !isObject(params.arguments)) return false;
  if (params._meta === undefined) return true;
  if (!isObject(params._meta)) return false;
  const progressToken = params._meta.progressToken;
  return progressToken === undefined || typeof progressToken === 'string' || typeof progressToken === 'number';
}

/**
 * The JSON-RPC response to a plain tool call, shaped as the SDK server shapes its own (its
 * Protocol's request handling): the result, or the error's code when it carries a safe integer one
 * (an McpError) and -32603 otherwise, its message and any data.
 */
export async function answerToolCall(
  request: JSONRPCRequest & { params: CallToolParams },
  token: ActiveAccessToken,
  callTool: CallTool,
): Promise<JSONRPCMessage> {
  try {
    const result = await callTool(request.params, token);
    return { result, jsonrpc: '2.0', id: request.id } as JSONRPCMessage;
  } catch (thrown) {
    const error = thrown as { code?: unknown; message?: string; data?: unknown };
    return {
      jsonrpc: '2.0',
      id: request.id,
      error: {
        code: Number.isSafeInteger(error.code) ? (error.code as number) : ErrorCode.InternalError,
        message: error.message ?? 'Internal error',
        ...(error.data !== undefined && { data: error.data }),
      },
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
