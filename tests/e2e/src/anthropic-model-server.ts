// A stand-in for the Anthropic Messages API on loopback, for `claude -p` (ANTHROPIC_BASE_URL): scripted,
// not clever. Offered a tool whose name ends with `tool`, it calls it once with `input`; given that
// tool's result, it answers with the result as its text. Every request is kept, so a test reads the
// tool result Claude Code passed back (what the MCP call really answered).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody } from './model-server.ts';

export interface MessagesRequest {
  path: string;
  body: {
    model?: string;
    stream?: boolean;
    tools?: { name?: string }[];
    messages?: { role: string; content: unknown }[];
  };
}

export interface AnthropicStandIn {
  url: string;
  requests: MessagesRequest[];
  /** The tool results Claude Code passed back, as text. */
  toolResults(): string[];
  close(): Promise<void>;
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: object };

const partText = (part: unknown): string => {
  if (typeof part === 'string') return part;
  const block = part as { type?: string; text?: string; content?: unknown };
  if (block.type === 'text') return block.text ?? '';
  if (Array.isArray(block.content)) return block.content.map(partText).join('');
  return typeof block.content === 'string' ? block.content : '';
};
const toolResultsOf = (body: MessagesRequest['body']): string[] =>
  (body.messages ?? []).flatMap((message) =>
    Array.isArray(message.content)
      ? message.content.filter((part) => (part as { type?: string }).type === 'tool_result').map(partText)
      : [],
  );

export async function startAnthropicStandIn(tool: string, input: object): Promise<AnthropicStandIn> {
  const requests: MessagesRequest[] = [];
  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const body = await readJsonBody<MessagesRequest['body']>(request);
    requests.push({ path, body });
    if (!path.startsWith('/v1/messages') || path.includes('count_tokens')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ input_tokens: 1 }));
      return;
    }
    const offered = (body.tools ?? []).find((t) => t.name?.endsWith(tool));
    const results = toolResultsOf(body);
    const block: Block =
      offered?.name !== undefined && results.length === 0
        ? { type: 'tool_use', id: `toolu_${requests.length}`, name: offered.name, input }
        : { type: 'text', text: results.length > 0 ? `The tool answered: ${results.join('\n')}` : 'OK' };
    if (body.stream) stream(response, body.model ?? 'stand-in', block);
    else {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(message(body.model ?? 'stand-in', [block], stopReason(block))));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults: () => requests.flatMap((r) => toolResultsOf(r.body)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const stopReason = (block: Block) => (block.type === 'tool_use' ? 'tool_use' : 'end_turn');
const message = (model: string, content: Block[], stop: string | null) => ({
  id: 'msg_stand_in',
  type: 'message',
  role: 'assistant',
  model,
  content,
  stop_reason: stop,
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 },
});

function stream(response: ServerResponse, model: string, block: Block): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: object) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', { type: 'message_start', message: message(model, [], null) });
  if (block.type === 'tool_use') {
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
    });
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
    });
  } else {
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: block.text },
    });
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason(block), stop_sequence: null },
    usage: { output_tokens: 1 },
  });
  send('message_stop', { type: 'message_stop' });
  response.end();
}
