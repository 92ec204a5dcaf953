// A stand-in for the OpenAI Responses API on loopback, for `codex exec` (a model provider whose
// base_url points here; Codex speaks nothing but the Responses wire API). Scripted, not clever:
// offered a tool whose name ends with `tool`, it calls it once with `input`; given that call's
// output, it answers with the output as its text. Every request is kept, so a test reads what the
// MCP call answered, as Codex passed it back to the model.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody } from './model-server.ts';

interface InputItem {
  type?: string;
  call_id?: string;
  output?: unknown;
}

interface OfferedTool {
  type?: string;
  name?: string;
  /** A namespace's own tools: Codex offers an MCP server's tools as the namespace `mcp__<server>`. */
  tools?: OfferedTool[];
}

export interface ResponsesRequest {
  path: string;
  body: { model?: string; tools?: OfferedTool[]; input?: InputItem[] };
}

export interface ResponsesStandIn {
  /** The provider's base_url (ending in /v1). */
  url: string;
  requests: ResponsesRequest[];
  /** The outputs of the tool calls Codex passed back, as text. */
  toolOutputs(): string[];
  close(): Promise<void>;
}

/** A function_call_output's text: a string, or a list of content parts. */
const outputText = (output: unknown): string =>
  typeof output === 'string'
    ? output
    : Array.isArray(output)
      ? output.map((part) => (part as { text?: string }).text ?? '').join('')
      : JSON.stringify(output ?? null);
const outputsOf = (body: ResponsesRequest['body']): string[] =>
  (body.input ?? []).filter((item) => item.type === 'function_call_output').map((item) => outputText(item.output));

export async function startResponsesStandIn(tool: string, input: object): Promise<ResponsesStandIn> {
  const requests: ResponsesRequest[] = [];
  const server = createServer(async (request, response) => {
    const body = await readJsonBody<ResponsesRequest['body']>(request);
    requests.push({ path: request.url ?? '', body });
    if (!(request.url ?? '').endsWith('/responses')) {
      // The model catalogue and anything else: nothing here.
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not served by the stand-in"}}');
      return;
    }
    const offered = (body.tools ?? [])
      .flatMap((t) => (t.type === 'namespace' ? (t.tools ?? []).map((f) => ({ ...f, namespace: t.name })) : [t]))
      .find((t) => t.name?.endsWith(tool));
    const outputs = outputsOf(body);
    const item =
      offered?.name !== undefined && outputs.length === 0
        ? {
            type: 'function_call',
            id: `fc_${requests.length}`,
            call_id: `call_${requests.length}`,
            name: offered.name,
            ...('namespace' in offered ? { namespace: offered.namespace } : {}),
            arguments: JSON.stringify(input),
          }
        : {
            type: 'message',
            id: `msg_${requests.length}`,
            role: 'assistant',
            content: [{ type: 'output_text', text: `The tool answered: ${outputs.join('\n')}`, annotations: [] }],
          };
    stream(response, `resp_${requests.length}`, item);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    toolOutputs: () => [...new Set(requests.flatMap((r) => outputsOf(r.body)))],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The events Codex reads from a streamed response: created, the one output item, completed. */
function stream(response: ServerResponse, id: string, item: object): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: object) =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('response.created', { response: { id } });
  send('response.output_item.done', { output_index: 0, item });
  const usage = { input_tokens: 1, output_tokens: 1, total_tokens: 2 };
  send('response.completed', { response: { id, usage } });
  response.end();
}
