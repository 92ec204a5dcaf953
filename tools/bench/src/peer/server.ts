// The peer baseline: the MCP TypeScript SDK's reference stack, as its examples build it. Express,
// `mcpAuthRouter` (metadata, DCR, authorize, token, revoke), `requireBearerAuth` on /mcp, and a
// stateless Streamable HTTP endpoint: a new McpServer and transport per request. It serves one
// tool shaped like our `mcp_whoami`. Run: `tsx tools/bench/src/peer/server.ts <port>`; it prints
// `ready <port>` once it listens.
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { MemoryOAuthProvider } from './provider.ts';
import { peerWhoami } from './whoami.ts';

const port = Number(process.argv[2] ?? 0);
const origin = `http://localhost:${port}`;
const mcpUrl = new URL('/mcp', origin);
const provider = new MemoryOAuthProvider();

const app = express();
// The benchmark registers clients and mints tokens faster than the SDK's default per-IP limits allow.
app.use(
  mcpAuthRouter({
    provider,
    issuerUrl: new URL(origin),
    resourceServerUrl: mcpUrl,
    scopesSupported: ['WORKSPACE_READ'],
    authorizationOptions: { rateLimit: false },
    clientRegistrationOptions: { rateLimit: false },
    tokenOptions: { rateLimit: false },
    revocationOptions: { rateLimit: false },
  }),
);

const bearer = requireBearerAuth({
  verifier: provider,
  resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
  expectedResource: mcpUrl,
});

function newServer(): McpServer {
  const server = new McpServer({ name: 'peer', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'mcp_whoami',
    {
      title: 'Who am I',
      description: 'The authenticated client, its scopes and token expiry.',
      annotations: { readOnlyHint: true },
    },
    async (extra) => {
      const result = peerWhoami(extra.authInfo);
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
    },
  );
  return server;
}

app.post('/mcp', bearer, express.json(), async (req, res) => {
  const server = newServer();
  // JSON responses (not an SSE stream), like our endpoint: both answer a POST with one JSON body.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

const listener = app.listen(port, 'localhost', () => {
  process.stdout.write(`ready ${port}\n`);
});
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
process.on('SIGINT', () => listener.close(() => process.exit(0)));
