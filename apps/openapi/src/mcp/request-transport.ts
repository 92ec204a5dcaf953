import type { IncomingHttpHeaders } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  type JSONRPCMessage,
  type JSONRPCRequest,
  JSONRPCMessageSchema,
  type MessageExtraInfo,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';

const MAX_BATCH = 100;

export type ParsedPost =
  | { ok: true; messages: JSONRPCMessage[]; batch: boolean }
  | { ok: false; status: number; code: number; message: string };

/**
 * The checks Streamable HTTP puts on a POST (MCP transports, "Sending Messages to the Server"):
 * the client accepts JSON and SSE, the body is one JSON-RPC message or a batch, `initialize`
 * comes alone, and a later request names a protocol version this server speaks; each request of a
 * batch has its own id.
 */
export function parsePost(headers: IncomingHttpHeaders, body: unknown): ParsedPost {
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return { ok: false, status: 406, code: -32000, message: 'Not Acceptable: Client must accept both application/json and text/event-stream' };
  }
  const batch = Array.isArray(body);
  const raw: unknown[] = batch ? (body as unknown[]) : [body];
  if (raw.length === 0 || raw.length > MAX_BATCH) return { ok: false, status: 400, code: -32600, message: `Invalid Request: a batch holds 1 to ${MAX_BATCH} messages` };
  const messages: JSONRPCMessage[] = [];
  for (const item of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(item);
    if (!parsed.success) return { ok: false, status: 400, code: -32700, message: 'Parse error: Invalid JSON-RPC message' };
    messages.push(parsed.data);
  }
  // Responses are matched to requests by id: two requests sharing one could not be told apart.
  const ids = new Set<RequestId>();
  for (const message of messages) {
    if (!isRequest(message)) continue;
    if (ids.has(message.id)) return { ok: false, status: 400, code: -32600, message: `Invalid Request: each request of a batch needs its own id (${JSON.stringify(message.id)} is used twice)` };
    ids.add(message.id);
  }
  if (messages.some(isInitializeRequest)) {
    if (messages.length > 1) return { ok: false, status: 400, code: -32600, message: 'Invalid Request: Only one initialization request is allowed' };
  } else {
    const version = headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return { ok: false, status: 400, code: -32000, message: `Bad Request: Unsupported protocol version: ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})` };
    }
  }
  return { ok: true, messages, batch };
}

/**
 * A request (it gets a response), for a message already checked against the JSON-RPC schema:
 * the SDK's `isJSONRPCRequest` would parse it with zod again, on every call.
 */
export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

/**
 * A transport for one stateless HTTP request: it hands the request's messages to the SDK's
 * server and collects the responses, which the route returns as one JSON body. It replaces the
 * SDK's Streamable HTTP server transport, whose conversion to web Request/Response objects and
 * stream bookkeeping cost more CPU than the rest of an MCP call; with no session and no stream,
 * server-initiated messages have nowhere to go and are dropped.
 */
export class RequestTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private readonly order: RequestId[];
  private readonly responses = new Map<RequestId, JSONRPCMessage>();
  private finish: (responses: JSONRPCMessage[]) => void = () => {};
  /** Every request's response, in the order the requests came; empty for notifications only. */
  readonly finished: Promise<JSONRPCMessage[]>;

  constructor(private readonly messages: JSONRPCMessage[]) {
    this.order = messages.filter(isRequest).map((message) => message.id);
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  async start(): Promise<void> {}

  /**
   * Delivers the request's messages to the server (after `server.connect(this)`). Cancellations are
   * ignored, as MCP allows: the SDK sends no response for a cancelled request, and this POST must
   * answer every request it carries; a request in another POST is out of reach anyway.
   */
  deliver(extra: MessageExtraInfo): void {
    for (const message of this.messages) {
      if ('method' in message && message.method === 'notifications/cancelled') continue;
      this.onmessage?.(message, extra);
    }
    if (this.order.length === 0) this.finish([]);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    // Only the server's responses (result or error) answer this request; it builds them itself.
    if (!('result' in message) && !('error' in message)) return;
    const id = (message as { id?: RequestId }).id;
    if (id === undefined || !this.order.includes(id)) return;
    this.responses.set(id, message);
    if (this.responses.size === this.order.length) this.finish(this.order.map((key) => this.responses.get(key) as JSONRPCMessage));
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}
