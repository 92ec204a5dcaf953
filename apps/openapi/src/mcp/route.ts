import type { StackConfig } from '@enginy/config/load';
import { TOKEN_VALIDITY_CHANNEL } from '@enginy/db/change-feed';
import { type Db, isDatabaseUnavailable } from '@enginy/db/client';
import { isAllowedOrigin } from '@enginy/policy/origin';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '@enginy/service/http-errors';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CallToolRequestSchema,
  ErrorCode,
  type JSONRPCMessage,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/principal.ts';
import { challengeScopes } from '../lab/challenge-without-scope.ts';
import { stepUpChallenge } from '../lab/step-up.ts';
import { type BearerCheck, challenge, checkBearer, TOKEN_VALIDATION_FAILED } from './bearer.ts';
import { type ToolCallResult, ToolRunner, toolError } from './run-tool.ts';
import { ExchangeTransport, isRequest, parsePost } from './request-transport.ts';
import { scopeHint } from './scope-hint.ts';
import { answerToolCall, type CallToolParams, isPlainToolCall } from './tool-calls.ts';
import { type ActiveAccessToken, TokenLookups } from './token-lookups.ts';
import { type ArgumentCheck, argumentCheck } from './tool-arguments.ts';
import { type GeneratedTool, toolsFromOperations } from './tool-catalogue.ts';
import { UsageRecorder } from './usage.ts';
import type { CompiledOperation } from '../validation/input-validators.ts';
import { ConnectionNames, WHOAMI_TOOL, whoami } from './whoami.ts';

export interface McpOptions {
  config: StackConfig;
  db: Db;
  /** The operation registry, compiled: each operation is a tool. */
  operations: readonly CompiledOperation[];
  /** How often batched usage (last used, calls per tool) is written. */
  usageFlushMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The tools the MCP endpoint serves, made from the operation registry. */
    mcpTools(): readonly GeneratedTool[];
    mcpUsage: UsageRecorder;
  }
}

const JSONRPC_ERROR = (message: string, code = -32000) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * `POST /mcp`: Streamable HTTP, stateless (one server for every request, no session id),
 * behind OAuth bearer tokens. Tools are the operations of the registry plus `mcp_whoami`.
 */
const mcp: FastifyPluginAsync<McpOptions> = async (app, { config, db, operations, usageFlushMs }) => {
  const mcpPath = new URL(config.openapi.mcpUrl).pathname;
  const runner = new ToolRunner(app);
  const usage = new UsageRecorder(db, app.log, usageFlushMs);
  const names = new ConnectionNames(db);
  // Verified tokens are remembered, and each use is fenced on the database's token-validity
  // notifications (token-lookups.ts), on the process's one change feed: without a database URL of its
  // own, every call reads the database. The feed connects, and closes, with the app.
  const lookups = new TokenLookups(db, app.changeFeed?.listen(TOKEN_VALIDITY_CHANNEL));
  app.decorate('mcpUsage', usage);
  app.addHook('onClose', () => usage.close());

  const tools = toolsFromOperations(operations);
  // Each tool with the check of its arguments, compiled once here rather than on each call.
  const byName = new Map<string, { tool: GeneratedTool; check: ArgumentCheck }>(
    tools.map((tool) => [tool.name, { tool, check: argumentCheck(tool) }]),
  );
  const listed = {
    tools: [
      WHOAMI_TOOL,
      ...tools.map(({ name, title, description, inputSchema, annotations }) => ({
        name,
        title,
        description,
        inputSchema,
        annotations,
      })),
    ],
  };
  app.decorate('mcpTools', () => tools);
  app.addHook('onReady', async () => {
    runner.prepare(tools);
    usage.start();
  });

  // One SDK server for every POST: each request's credentials come with it, in `authInfo`.
  const server = new Server(
    { name: 'enginy', title: 'Enginy MCP (local)', version: '1.0.0' },
    { capabilities: { tools: { listChanged: false } }, jsonSchemaValidator: new AjvJsonSchemaValidator() },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => listed);
  // With the request, for the lab switches it sees (request.labSwitches: its token check's fence answers).
  const callTool = async (
    { name, arguments: args = {} }: CallToolParams,
    token: ActiveAccessToken,
    request: FastifyRequest,
  ): Promise<ToolCallResult> => {
    if (name === WHOAMI_TOOL.name) {
      usage.record(token.grantId, WHOAMI_TOOL.name);
      const result = await whoami(names, token, await request.labSwitches());
      // Compact, as the REST tools' text is: the same JSON as structuredContent (MCP "Structured Content").
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    }
    const entry = byName.get(name);
    if (entry === undefined) {
      // Counted per tool only under a catalogue name: a client's free text would add a row per name
      // sent, and one the database refuses (a NUL; ~4 kB, past a btree entry's 2,704 bytes) failed
      // the whole usage batch. The grant was still used.
      usage.record(token.grantId);
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    const { tool, check } = entry;
    usage.record(token.grantId, tool.name);
    // The shape errors the operation's schemas would report less clearly, or not at all: the parts must be
    // objects, each path and query value text, each path param one segment.
    const problem = check(args);
    if (problem !== undefined) return toolError(problem);
    const principal: Principal = {
      kind: 'oauth',
      workspaceId: token.workspaceId,
      userId: token.userId,
      clientId: token.clientId,
      scopes: token.effectiveScopes,
    };
    return runner.call(tool, principal, args, request.log);
  };
  server.setRequestHandler(CallToolRequestSchema, (call, { authInfo }) =>
    callTool(call.params, authInfo?.extra?.token as ActiveAccessToken, authInfo?.extra?.request as FastifyRequest),
  );
  const transport = new ExchangeTransport();
  await server.connect(transport);
  app.addHook('onClose', () => server.close());

  const hosts = allowedHostnames(config);
  // The MCP URL's own origin and the web app's; on a loopback host, under each loopback name alike.
  const origins = [new URL(config.openapi.url).origin, new URL(config.web.url).origin];

  // The bearer check starts as soon as the headers are in (onRequest, before the body is read and
  // parsed), so that the token's round trip to the database overlaps the JSON and JSON-RPC parsing;
  // the handler waits for it before anything else. Each request's check answers for the moment it arrived.
  const checks = new WeakMap<FastifyRequest, Promise<BearerCheck>>();
  const startCheck = async (request: FastifyRequest) => {
    const check = checkBearer(lookups, config, request.headers.authorization);
    // Awaited by the handler; a request refused before it (Host, Origin, body) leaves it unread.
    check.catch(() => {});
    checks.set(request, check);
  };

  app.post(mcpPath, { schema: { hide: true }, onRequest: startCheck }, async (request, reply) => {
    // DNS rebinding: a page on another site that resolves to 127.0.0.1 still sends its own Host/Origin.
    const origin = request.headers.origin;
    if (!hosts.has(hostnameOf(request.headers.host)) || (origin !== undefined && !isAllowedOrigin(origin, origins))) {
      return reply.code(403).send(JSONRPC_ERROR('Forbidden: this Host or Origin may not call the MCP endpoint'));
    }
    let check: BearerCheck;
    try {
      check = await (checks.get(request) ?? checkBearer(lookups, config, request.headers.authorization));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // Said in JSON-RPC, like every other answer of this endpoint; the client may retry shortly.
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send(JSONRPC_ERROR('Service unavailable: the database cannot be reached; try again in a few seconds'));
    }
    if (!check.ok)
      return refuse(
        reply,
        config,
        check,
        challengeScopes(check.status, await scopeHint(db), await request.labSwitches()),
      );
    const parsed = parsePost(request.headers, request.body);
    if (!parsed.ok) return reply.code(parsed.status).send(JSONRPC_ERROR(parsed.message, parsed.code));

    const { bearer, token } = check;
    if (!parsed.messages.some((message) => isRequest(message) && message.method === 'tools/call'))
      usage.record(token.grantId);
    const [only] = parsed.messages;
    let responses: JSONRPCMessage[];
    // The hot path: one plain tools/call is answered here, everything else by the SDK server.
    if (parsed.messages.length === 1 && only !== undefined && isPlainToolCall(only)) {
      // Failure lab step-up: answered at the HTTP level, so only a lone tool call can be challenged.
      const stepUp = await stepUpChallenge(byName.get(only.params.name)?.tool, token, () => request.labSwitches());
      if (stepUp !== undefined)
        return refuse(
          reply,
          config,
          {
            ok: false,
            status: 403,
            error: 'insufficient_scope',
            reason: `Tool requires scopes: ${stepUp.missing.join(', ')}`,
          },
          stepUp.required,
        );
      responses = [await answerToolCall(only, token, (params, held) => callTool(params, held, request))];
    } else {
      const authInfo: AuthInfo = {
        token: bearer,
        clientId: token.clientId,
        scopes: token.effectiveScopes,
        extra: { token, request },
      };
      responses = await transport.exchange(parsed.messages, {
        authInfo,
        requestInfo: { headers: request.headers as Record<string, string> },
      });
    }
    if (responses.length === 0) return reply.code(202).send();
    return reply.header('content-type', 'application/json').send(parsed.batch ? responses : responses[0]);
  });

  // Stateless: no server-initiated stream to GET and no session to DELETE.
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send(JSONRPC_ERROR('Method not allowed: this MCP endpoint is stateless; use POST.'));
  app.get(mcpPath, { schema: { hide: true } }, notAllowed);
  app.delete(mcpPath, { schema: { hide: true } }, notAllowed);
};

export default fp(mcp, {
  name: 'mcp',
  fastify: '5.x',
  dependencies: ['rate-limit', 'change-feed', 'failure-lab'],
});

/** 401/403 with the RFC 6750 challenge MCP clients start discovery (or step-up) from. */
function refuse(reply: FastifyReply, config: StackConfig, check: Exclude<BearerCheck, { ok: true }>, scopes: string[]) {
  return reply
    .code(check.status)
    .header('www-authenticate', challenge(config, scopes, check))
    .send({
      error: check.error ?? 'unauthorized',
      error_description: check.error === 'invalid_token' ? TOKEN_VALIDATION_FAILED : check.reason,
      message: check.reason,
    });
}

function allowedHostnames(config: StackConfig): Set<string> {
  return new Set([
    new URL(config.openapi.url).hostname,
    new URL(config.openapi.mcpUrl).hostname,
    'localhost',
    '127.0.0.1',
    '[::1]',
  ]);
}

function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}
