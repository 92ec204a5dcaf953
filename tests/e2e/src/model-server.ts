// A stand-in for an OpenAI-compatible model, on loopback, for the agents that need a model before
// they call an MCP tool (Cline, Qwen Code, Copilot CLI). It is scripted, not clever: asked with a
// tool whose name contains `mcp_whoami` (or the tool it is started with) among the tools offered,
// it calls that tool; given the tool's result, it answers with that result as its text. `callNext`
// changes the tool from the next request on, for an agent whose UI keeps one model URL. Every
// request is kept, so a test reads what the agent sent the model (the tools it offered, the tool
// result it passed back).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_MODEL = 'enginy-stand-in';

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
}

export interface ChatRequest {
  path: string;
  body: { model?: string; stream?: boolean; messages?: ChatMessage[]; tools?: { function?: { name?: string } }[] };
}

export interface ModelServer {
  /** The base URL to give the agent, ending in /v1. */
  url: string;
  requests: ChatRequest[];
  /** From the next request on, call this tool instead (an agent whose UI keeps one model URL). */
  callNext(wanted: ToolToCall): void;
  close(): Promise<void>;
}

/** A message's text, whether its content is a string or a list of parts. */
export const messageText = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (typeof part === 'string' ? part : ((part as { text?: string }).text ?? ''))).join('')
      : '';

interface ToolCall {
  id: string;
  function: { name: string; arguments: string };
}

const WHOAMI = 'mcp_whoami';

/** A call of `tool`: directly, or through Qwen Code's `tool_call` bridge to a deferred tool. */
function callsTool(call: ToolCall, tool: string): boolean {
  if (call.function.name.includes(tool)) return true;
  if (call.function.name !== 'tool_call') return false;
  try {
    return String((JSON.parse(call.function.arguments) as { name?: unknown }).name).includes(tool);
  } catch {
    return false;
  }
}

const toolCalls = (messages: readonly ChatMessage[]) =>
  messages.flatMap((message) => (message as { tool_calls?: ToolCall[] }).tool_calls ?? []);

/**
 * The conversation from the latest user message that asks for mcp_whoami: an agent that keeps one
 * conversation across prompts (Copilot CLI's interactive UI) asks again in it, and gets a new call,
 * not the earlier answer.
 */
function latestAsk(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  const start = messages.findLastIndex(
    (message) => message.role === 'user' && messageText(message.content).includes(WHOAMI),
  );
  return start === -1 ? messages : messages.slice(start);
}

/**
 * What the stand-in says next. The wanted tool offered: call it. Offered only behind a tool search
 * (Qwen Code defers MCP tools until the model asks for them): search for it, then call the name the
 * search returned through the `tool_call` bridge. Its result in the conversation: say it, and stop.
 */
function reply(body: ChatRequest['body'], wanted: ToolToCall): { tool?: string; args?: object; text?: string } {
  const messages = latestAsk(body.messages ?? []);
  const called = toolCalls(messages);
  const wantedCall = called.find((call) => callsTool(call, wanted.tool));
  const result = messages.find((message) => message.role === 'tool' && message.tool_call_id === wantedCall?.id);
  if (result !== undefined) return { text: `${wanted.tool} answered: ${messageText(result.content)}` };
  const names = (body.tools ?? []).map((tool) => tool.function?.name ?? '');
  const tool = names.find((name) => name.includes(wanted.tool));
  if (tool !== undefined) return { tool, args: wanted.args };
  const searches = new Set(called.filter((call) => call.function.name === 'tool_search').map((call) => call.id));
  const named = new RegExp(`"name":"([\\w-]*${wanted.tool})"`);
  const found = messages
    .filter((message) => message.role === 'tool' && searches.has(message.tool_call_id ?? ''))
    .map((message) => messageText(message.content).match(named)?.[1])
    .find((name) => name !== undefined);
  if (found !== undefined && names.includes('tool_call'))
    return { tool: 'tool_call', args: { name: found, arguments: wanted.args } };
  if (names.includes('tool_search') && searches.size === 0)
    return { tool: 'tool_search', args: { query: wanted.tool } };
  return { text: `No ${wanted.tool} tool was offered (tools: ${names.join(', ')}).` };
}

/** The text of each result the agent passed back for a call of `tool` (in each request, since its latest ask), oldest first. */
export function toolResults(requests: readonly ChatRequest[], tool: string): string[] {
  const texts = new Set<string>();
  for (const { body } of requests) {
    const messages = latestAsk(body.messages ?? []);
    const ids = new Set(
      toolCalls(messages)
        .filter((call) => callsTool(call, tool))
        .map((call) => call.id),
    );
    for (const message of messages)
      if (message.role === 'tool' && ids.has(message.tool_call_id ?? '')) texts.add(messageText(message.content));
  }
  return [...texts];
}

/** The text of each result the agent passed back for a call of the whoami tool, oldest first. */
export const whoamiResults = (requests: readonly ChatRequest[]): string[] => toolResults(requests, WHOAMI);

function answer(response: ServerResponse, body: ChatRequest['body'], id: string, wanted: ToolToCall): void {
  const next = reply(body, wanted);
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? STAND_IN_MODEL;
  const toolCalls =
    next.tool === undefined
      ? undefined
      : [
          {
            index: 0,
            id: `call_${id}`,
            type: 'function',
            function: { name: next.tool, arguments: JSON.stringify(next.args ?? {}) },
          },
        ];
  const finish = toolCalls === undefined ? 'stop' : 'tool_calls';
  const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
  if (body.stream) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: object, finishReason: string | null, extra: object = {}) =>
      response.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
      );
    chunk(
      toolCalls === undefined
        ? { role: 'assistant', content: next.text }
        : { role: 'assistant', tool_calls: toolCalls },
      null,
    );
    chunk({}, finish, { usage });
    response.end('data: [DONE]\n\n');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: next.text ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
          finish_reason: finish,
        },
      ],
      usage,
    }),
  );
}

/**
 * A stand-in model's request body, parsed as JSON: an empty object when it is empty or not JSON, so
 * that the request is still recorded and answered like any other (each stand-in model server).
 */
export async function readJsonBody<Body extends object>(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Body;
  } catch {
    return {} as Body;
  }
}

/** The tool the stand-in calls, and with what. */
export interface ToolToCall {
  /** Matched as part of the name offered (`mcp__enginy__create_contact`). */
  tool: string;
  args: object;
}

export async function startModelServer(first: ToolToCall = { tool: WHOAMI, args: {} }): Promise<ModelServer> {
  let wanted = first;
  const requests: ChatRequest[] = [];
  let count = 0;
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const body = await readJsonBody<ChatRequest['body']>(request);
    requests.push({ path, body });
    if (request.method === 'GET' && path.endsWith('/models')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ object: 'list', data: [{ id: STAND_IN_MODEL, object: 'model', owned_by: 'e2e' }] }),
      );
      return;
    }
    if (request.method === 'POST' && path.endsWith('/chat/completions')) {
      answer(response, body, `chatcmpl-${++count}`, wanted);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `The stand-in model has no ${request.method} ${path}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    callNext: (next) => {
      wanted = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
