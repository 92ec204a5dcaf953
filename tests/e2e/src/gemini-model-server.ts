// A stand-in for the Gemini API (generateContent, streamGenerateContent?alt=sse) on loopback, for
// `gemini -p` (GOOGLE_GEMINI_BASE_URL): scripted, not clever. Offered a function whose name ends with
// `tool`, it calls it once with `args`; given that function's response, it answers with the response
// as its text. Every request is kept, so a test reads the function response Gemini CLI passed back
// (what the MCP call really answered).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody } from './model-server.ts';

type Part = { text?: string; functionCall?: object; functionResponse?: { name?: string; response?: unknown } };

export interface GenerateRequest {
  path: string;
  body: {
    contents?: { role?: string; parts?: Part[] }[];
    tools?: { functionDeclarations?: { name?: string }[] }[];
    generationConfig?: { responseMimeType?: string };
  };
}

export interface GeminiStandIn {
  url: string;
  requests: GenerateRequest[];
  /** The function responses Gemini CLI passed back, as JSON. */
  toolResults(): string[];
  close(): Promise<void>;
}

const toolResultsOf = (body: GenerateRequest['body']): string[] =>
  (body.contents ?? []).flatMap((content) =>
    (content.parts ?? []).flatMap((part) =>
      part.functionResponse === undefined ? [] : [JSON.stringify(part.functionResponse.response)],
    ),
  );

const candidate = (part: Part) => ({
  candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
});

export async function startGeminiStandIn(tool: string, args: object): Promise<GeminiStandIn> {
  const requests: GenerateRequest[] = [];
  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const body = await readJsonBody<GenerateRequest['body']>(request);
    requests.push({ path, body });
    if (path.includes(':countTokens')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ totalTokens: 1 }));
      return;
    }
    // Its JSON side questions (which model to route to, who speaks next): the simplest answers.
    if (body.generationConfig?.responseMimeType === 'application/json') {
      const json = {
        complexity_reasoning: 'stand-in',
        complexity_score: 1,
        reasoning: 'stand-in',
        next_speaker: 'user',
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(candidate({ text: JSON.stringify(json) })));
      return;
    }
    const offered = (body.tools ?? [])
      .flatMap((t) => t.functionDeclarations ?? [])
      .find((declaration) => declaration.name?.endsWith(tool));
    const results = toolResultsOf(body);
    const part: Part =
      offered?.name !== undefined && results.length === 0
        ? { functionCall: { name: offered.name, args } }
        : { text: results.length > 0 ? `The tool answered: ${results.join('\n')}` : 'OK' };
    const answer = JSON.stringify(candidate(part));
    if (path.includes(':streamGenerateContent')) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.end(`data: ${answer}\r\n\r\n`);
    } else {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(answer);
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
