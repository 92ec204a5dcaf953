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
    return {
      ok: false,
      status: 406,
      code: -32000,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    };
  }
  const batch = Array.isArray(body);
  const raw: unknown[] = batch ? (body as unknown[]) : [body];
  if (raw.length === 0 || raw.length > MAX_BATCH)
    return {
      ok: false,
      status: 400,
      code: -32600,
      message: `Invalid Request: a batch holds 1 to ${MAX_BATCH} messages`,
    };
  const messages: JSONRPCMessage[] = [];
  for (const item of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(item);
    if (!parsed.success)
      return { ok: false, status: 400, code: -32700, message: 'Parse error: Invalid JSON-RPC message' };
    messages.push(parsed.data);
  }
  // Responses are matched to requests by id: two requests sharing one could not be told apart.
  const ids = new Set<RequestId>();
  for (const message of messages) {
    if (!isRequest(message)) continue;
    if (ids.has(message.id))
      return {
        ok: false,
        status: 400,
        code: -32600,
        message: `Invalid Request: each request of a batch needs its own id (${JSON.stringify(message.id)} is used twice)`,
      };
    ids.add(message.id);
  }
  // Only a message whose method is "initialize" can be one; the schema's failing parse of every other
  // message (an error object built and thrown away) cost 3.5 µs a call, more than the JSON-RPC check.
  if (
    messages.some((message) => 'method' in message && message.method === 'initialize' && isInitializeRequest(message))
  ) {
    if (messages.length > 1)
      return {
        ok: false,
        status: 400,
        code: -32600,
        message: 'Invalid Request: Only one initialization request is allowed',
      };
  } else {
    const version = headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return {
        ok: false,
        status: 400,
        code: -32000,
        message: `Bad Request: Unsupported protocol version: ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      };
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
 * The transport between the endpoint's one SDK server and every POST (stateless: no session, no
 * stream). Each POST hands its requests over with its own credentials and gets back their responses;
 * it replaces the SDK's Streamable HTTP server transport, whose conversion to web Request/Response
 * objects and stream bookkeeping cost more CPU than the rest of an MCP call, and a server per POST,
 * whose construction cost 16 of an mcp_whoami's 194 µs of CPU (`pnpm bench mcp`).
 *
 * Concurrent POSTs reuse the same JSON-RPC ids (every client starts at 0), so each request reaches
 * the server under an id of its own and its response goes back under the client's id. Only requests
 * are delivered: the server asks the client nothing (a response from the client answers nothing), and
 * a stateless server acts on no notification. That includes cancellation, which MCP lets a server
 * ignore: the SDK sends nothing for a cancelled request, while this POST must answer every request it
 * carries, and a request of another POST is out of its reach.
 */
export class ExchangeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private lastId = 0;
  private readonly waiting = new Map<number, (response: JSONRPCMessage) => void>();

  async start(): Promise<void> {}

  /** Delivers one POST's requests (after `server.connect(this)`); their responses, in the same order. */
  exchange(messages: readonly JSONRPCMessage[], extra: MessageExtraInfo): Promise<JSONRPCMessage[]> {
    const responses: Promise<JSONRPCMessage>[] = [];
    for (const message of messages) {
      if (!isRequest(message)) continue;
      const id = ++this.lastId;
      responses.push(
        new Promise((resolve) =>
          this.waiting.set(id, (response) => resolve({ ...response, id: message.id } as JSONRPCMessage)),
        ),
      );
      this.onmessage?.({ ...message, id }, extra);
    }
    return Promise.all(responses);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    // Only responses (result or error) answer a POST; server-initiated messages have nowhere to go.
    if (!('result' in message) && !('error' in message)) return;
    const id = (message as { id?: RequestId }).id;
    const deliver = typeof id === 'number' ? this.waiting.get(id) : undefined;
    if (deliver === undefined) return;
    this.waiting.delete(id as number);
    deliver(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}
