// The MCP clients this stack is tested with, as they really behave (observed against this stack,
// offline, with the pinned versions below; see tests/e2e/test/real-client-*.test.ts). One table
// serves the console's Connect page, the consent page's hints and the doctor's presets.
import { CLAUDE_CODE_CALLBACK_PORT, CLAUDE_CODE_REDIRECT_URI } from './defaults.ts';

export type KnownClientId =
  | 'claude-code'
  | 'codex'
  | 'gemini-cli'
  | 'opencode'
  | 'mcp-remote'
  | 'mcp-inspector'
  | 'copilot-cli'
  | 'qwen-code'
  | 'cline'
  | 'mcp-sdk';

/** How a client picks the scopes it asks for when nothing is configured. */
export type ScopeChoice = 'resource-metadata' | 'authorization-server-metadata' | 'challenge' | 'app';

export interface KnownClient {
  id: KnownClientId;
  name: string;
  /** The npm package and the version the tests pin. */
  npmPackage: string;
  testedVersion: string;
  /** How it registers: a client ID metadata document (CIMD), dynamic registration, or the app decides. */
  registration: 'cimd' | 'dcr' | 'app';
  /** The `client_id` it sends when the authorization server advertises CIMD. */
  metadataDocumentUrl?: string;
  /** The `client_name` it registers with (DCR), to recognise it. */
  registeredName?: string;
  scopeChoice: ScopeChoice;
  /** The redirect URI it sends by default (`<port>` where it is random). */
  defaultRedirectUri: string;
  /** The redirect URI its recipe makes it send: the one to allowlist. */
  recipeRedirectUri: string;
  /** How the recipe fixes the callback, in words. */
  callbackFix: string;
  /** A setting of the client that looks like a fix and is not (shown as a warning beside the recipe). */
  trap?: string;
  /** Shell commands (or a config file) that connect it to `mcpUrl`. */
  setup(mcpUrl: string): { commands: string[]; configFile?: { path: string; content: string } };
  /** How to make it ask for exactly `scopes` (when its default request is outside the policy). */
  narrowScopes(scopes: string[]): string;
}

const SERVER_NAME = 'enginy';

/** For a client none of whose settings was seen to change the scopes it asks for. */
const noScopeSetting = (name: string, asks: string, scopes: string[]) =>
  `${name} was not seen to take a scope setting (it asks for ${asks}): expand the workspace policy to what it asks for, or connect with a client that can ask for exactly ${scopes.join(' ')}`;

export const KNOWN_CLIENTS: readonly KnownClient[] = [
  {
    id: 'claude-code',
    name: 'Claude Code',
    npmPackage: '@anthropic-ai/claude-code',
    testedVersion: '2.1.328',
    registration: 'cimd',
    metadataDocumentUrl: 'https://claude.ai/oauth/claude-code-client-metadata',
    scopeChoice: 'resource-metadata',
    defaultRedirectUri: 'http://localhost:<port>/callback',
    recipeRedirectUri: CLAUDE_CODE_REDIRECT_URI,
    callbackFix: `--callback-port ${CLAUDE_CODE_CALLBACK_PORT} fixes the port; host and path are always localhost and /callback`,
    setup: (mcpUrl) => ({
      commands: [
        `claude mcp add --transport http --callback-port ${CLAUDE_CODE_CALLBACK_PORT} ${SERVER_NAME} ${mcpUrl}`,
        `claude mcp login ${SERVER_NAME}`,
        'claude mcp list',
      ],
    }),
    narrowScopes: (scopes) =>
      `In the "${SERVER_NAME}" entry of .mcp.json (project) or ~/.claude.json (user), add "oauth": { "scopes": "${scopes.join(' ')}" }, then run claude mcp login ${SERVER_NAME} again`,
  },
  {
    id: 'codex',
    name: 'Codex CLI',
    npmPackage: '@openai/codex',
    testedVersion: '0.171.0',
    registration: 'cimd',
    metadataDocumentUrl: 'https://chatgpt.com/oauth/codex/client.json',
    scopeChoice: 'resource-metadata',
    defaultRedirectUri: 'http://127.0.0.1:<port>/callback',
    recipeRedirectUri: CLAUDE_CODE_REDIRECT_URI,
    callbackFix: `-c mcp_oauth_callback_port=${CLAUDE_CODE_CALLBACK_PORT} -c 'mcp_oauth_callback_url="${CLAUDE_CODE_REDIRECT_URI}"' (or the same two keys in ~/.codex/config.toml)`,
    // `codex mcp add` starts the OAuth flow itself as soon as it sees the 401: without the callback
    // settings that first flow uses 127.0.0.1:<random> and waits for a callback that never comes.
    // `codex mcp login` (same settings) logs in again later.
    setup: (mcpUrl) => {
      const callback = `-c mcp_oauth_callback_port=${CLAUDE_CODE_CALLBACK_PORT} -c 'mcp_oauth_callback_url="${CLAUDE_CODE_REDIRECT_URI}"'`;
      return {
        commands: [
          `codex mcp add ${SERVER_NAME} --url ${mcpUrl} ${callback}`,
          'codex mcp list',
          `codex mcp login ${SERVER_NAME} ${callback}   # to log in again later`,
        ],
      };
    },
    narrowScopes: (scopes) =>
      `Log in with the scopes named: codex mcp login ${SERVER_NAME} --scopes ${scopes.join(',')} (plus the callback settings of the recipe)`,
  },
  {
    id: 'gemini-cli',
    name: 'Gemini CLI',
    npmPackage: '@google/gemini-cli',
    testedVersion: '0.61.0',
    registration: 'dcr',
    registeredName: 'Gemini CLI MCP Client',
    // Observed (0.61.0, mcp/oauth-utils discoverOAuthConfig): the resource metadata only leads it to the
    // authorization server, and it asks for the AUTHORIZATION SERVER metadata's whole scopes_supported
    // (not the resource metadata's, nor the challenge's).
    scopeChoice: 'authorization-server-metadata',
    defaultRedirectUri: 'http://localhost:<port>/oauth/callback',
    recipeRedirectUri: `http://localhost:${CLAUDE_CODE_CALLBACK_PORT}/oauth/callback`,
    callbackFix: `"oauth": { "redirectUri": "http://localhost:${CLAUDE_CODE_CALLBACK_PORT}/oauth/callback" } in the server's settings entry (or OAUTH_CALLBACK_PORT=${CLAUDE_CODE_CALLBACK_PORT})`,
    setup: (mcpUrl) => ({
      commands: [
        `gemini mcp add --transport http ${SERVER_NAME} ${mcpUrl}`,
        'gemini   # trust the folder, then type: /mcp auth enginy',
      ],
      configFile: {
        path: '.gemini/settings.json',
        content: JSON.stringify(
          // What `gemini mcp add --transport http` writes, plus the recipe's redirect URI.
          {
            mcpServers: {
              [SERVER_NAME]: {
                url: mcpUrl,
                type: 'http',
                oauth: { redirectUri: `http://localhost:${CLAUDE_CODE_CALLBACK_PORT}/oauth/callback` },
              },
            },
          },
          null,
          2,
        ),
      },
    }),
    narrowScopes: (scopes) =>
      `In the "${SERVER_NAME}" entry of .gemini/settings.json, set "oauth": { "scopes": ${JSON.stringify(scopes)} }, then /mcp auth ${SERVER_NAME} again`,
  },
  {
    id: 'opencode',
    name: 'opencode',
    npmPackage: 'opencode-ai',
    testedVersion: '1.18.33',
    registration: 'dcr',
    registeredName: 'OpenCode',
    scopeChoice: 'challenge',
    defaultRedirectUri: 'http://127.0.0.1:19876/mcp/oauth/callback',
    recipeRedirectUri: 'http://127.0.0.1:19876/mcp/oauth/callback',
    callbackFix: `by default always 127.0.0.1:19876/mcp/oauth/callback (allowlist this exact URI); "oauth": { "redirectUri": "${CLAUDE_CODE_REDIRECT_URI}" } (or "callbackPort") in its opencode.json entry makes it send and listen on that instead`,
    setup: (mcpUrl) => ({
      commands: [`opencode mcp auth ${SERVER_NAME}`, 'opencode mcp list'],
      configFile: {
        path: 'opencode.json',
        content: JSON.stringify(
          { $schema: 'https://opencode.ai/config.json', mcp: { [SERVER_NAME]: { type: 'remote', url: mcpUrl } } },
          null,
          2,
        ),
      },
    }),
    narrowScopes: (scopes) =>
      `In the "${SERVER_NAME}" entry of opencode.json, set "oauth": { "scope": "${scopes.join(' ')}" }, then opencode mcp auth ${SERVER_NAME} again`,
  },
  {
    id: 'mcp-remote',
    name: 'mcp-remote',
    npmPackage: 'mcp-remote',
    testedVersion: '0.15.1',
    registration: 'dcr',
    registeredName: 'MCP CLI Proxy',
    scopeChoice: 'challenge',
    defaultRedirectUri: 'http://localhost:<port>/oauth/callback',
    recipeRedirectUri: CLAUDE_CODE_REDIRECT_URI,
    callbackFix: `a port argument and --callback-path: mcp-remote <url> ${CLAUDE_CODE_CALLBACK_PORT} --callback-path /callback`,
    setup: (mcpUrl) => ({
      commands: [`npx -y mcp-remote@0.15.1 ${mcpUrl} ${CLAUDE_CODE_CALLBACK_PORT} --callback-path /callback`],
    }),
    narrowScopes: (scopes) =>
      `Add --static-oauth-client-metadata '{"scope":"${scopes.join(' ')}"}' to the mcp-remote command`,
  },
  {
    // The Inspector's CLI in OAuth mode (observed with 2.12.0; tests/e2e/test/real-client-inspector.test.ts).
    id: 'mcp-inspector',
    name: 'MCP Inspector',
    npmPackage: '@modelcontextprotocol/inspector',
    testedVersion: '2.12.0',
    registration: 'dcr',
    registeredName: 'MCP Inspector',
    // Seen asking for the resource metadata's whole scopes_supported even when the 401 challenge named
    // fewer (a loopback proxy narrowed the challenge). Its MCP SDK client appends offline_access when
    // the authorization server lists it.
    scopeChoice: 'resource-metadata',
    defaultRedirectUri: 'http://127.0.0.1:6276/oauth/callback',
    recipeRedirectUri: CLAUDE_CODE_REDIRECT_URI,
    callbackFix: `--callback-url ${CLAUDE_CODE_REDIRECT_URI} on every command (it remembers no callback URL), and --relogin once if it registered before with another one: it keeps one client per server URL`,
    setup: (mcpUrl) => ({
      commands: [
        `npx -y @modelcontextprotocol/inspector@2.12.0 --cli ${mcpUrl} --callback-url ${CLAUDE_CODE_REDIRECT_URI} --method tools/call --tool-name mcp_whoami`,
        `npx -y @modelcontextprotocol/inspector@2.12.0 --cli ${mcpUrl} --callback-url ${CLAUDE_CODE_REDIRECT_URI} --method tools/call --tool-name mcp_whoami --relogin   # if it registered before with its default callback`,
      ],
    }),
    narrowScopes: (scopes) =>
      noScopeSetting('MCP Inspector', "the protected-resource metadata's whole scopes_supported", scopes),
  },
  {
    // Observed with 1.0.102: it names itself by its metadata document; offline, the stack's
    // development fallback (an unverified, loopback-only client shown as "github.com") lets it in.
    // Its redirect port is random unless the server entry fixes it; host and path never change.
    id: 'copilot-cli',
    name: 'GitHub Copilot CLI',
    npmPackage: '@github/copilot',
    testedVersion: '1.0.102',
    registration: 'cimd',
    metadataDocumentUrl: 'https://github.com/copilot/cli/client-metadata.json',
    // When the authorization server does not advertise CIMD (seen through a loopback proxy), it
    // registers under this name, with http://127.0.0.1:<port>/ (path /, not /callback).
    registeredName: 'GitHub Copilot CLI',
    // Seen asking for the 401 challenge's scope when it named fewer than the resource metadata (a
    // loopback proxy narrowed the challenge); here both list the same scopes.
    scopeChoice: 'challenge',
    defaultRedirectUri: 'http://127.0.0.1:<port>/callback',
    recipeRedirectUri: `http://127.0.0.1:${CLAUDE_CODE_CALLBACK_PORT}/callback`,
    callbackFix: `"auth": { "redirectPort": ${CLAUDE_CODE_CALLBACK_PORT} } in its server entry (~/.copilot/mcp-config.json) fixes the port; host and path are always 127.0.0.1 and /callback`,
    setup: (mcpUrl) => ({
      commands: [
        `copilot mcp add --transport http ${SERVER_NAME} ${mcpUrl}`,
        `copilot   # trust the folder; it opens the browser by itself, else type: /mcp auth ${SERVER_NAME}`,
      ],
      configFile: {
        path: '~/.copilot/mcp-config.json',
        content: JSON.stringify(
          // What `copilot mcp add --transport http` writes, plus the recipe's redirect port.
          {
            mcpServers: {
              [SERVER_NAME]: {
                tools: ['*'],
                type: 'http',
                url: mcpUrl,
                auth: { redirectPort: CLAUDE_CODE_CALLBACK_PORT },
              },
            },
          },
          null,
          2,
        ),
      },
    }),
    narrowScopes: (scopes) => noScopeSetting('GitHub Copilot CLI', "the 401 challenge's scope", scopes),
  },
  {
    // Observed with 0.24.4: one fixed callback, and a listener that never moves.
    id: 'qwen-code',
    name: 'Qwen Code',
    npmPackage: '@qwen-code/qwen-code',
    testedVersion: '0.24.4',
    registration: 'dcr',
    registeredName: 'Qwen Code MCP Client',
    // Seen asking for the resource metadata's whole list even when the 401 challenge named fewer.
    scopeChoice: 'resource-metadata',
    defaultRedirectUri: 'http://localhost:7777/oauth/callback',
    recipeRedirectUri: 'http://localhost:7777/oauth/callback',
    callbackFix:
      'always http://localhost:7777/oauth/callback (allowlist this exact URI): its listener is fixed on 127.0.0.1:7777',
    trap: 'Do not set "oauth": { "redirectUri": … } in its server entry: Qwen Code then sends that URI, but its listener stays on 127.0.0.1:7777, so after Approve the browser ends at a refused connection.',
    setup: (mcpUrl) => ({
      commands: [
        `qwen mcp add --transport http ${SERVER_NAME} ${mcpUrl}`,
        `qwen   # then type /mcp, choose ${SERVER_NAME}, then Authenticate`,
      ],
    }),
    narrowScopes: (scopes) =>
      noScopeSetting('Qwen Code', "the protected-resource metadata's whole scopes_supported", scopes),
  },
  {
    // Observed with 3.0.65: 1456 first; while 1456 is taken it listens on 1457, then 1458, and sends
    // that port with the client it registered for 1456.
    id: 'cline',
    name: 'Cline',
    npmPackage: 'cline',
    testedVersion: '3.0.65',
    registration: 'dcr',
    registeredName: 'Cline',
    // Seen asking for the 401 challenge's scope when it named fewer than the resource metadata; else
    // the resource metadata's (the MCP SDK 1.32.2 it is built on).
    scopeChoice: 'challenge',
    defaultRedirectUri: 'http://127.0.0.1:1456/mcp/oauth/callback',
    recipeRedirectUri: 'http://127.0.0.1:1456/mcp/oauth/callback',
    callbackFix:
      'always http://127.0.0.1:1456/mcp/oauth/callback (allowlist this exact URI); while port 1456 is taken it uses 1457, then 1458: allowlist http://127.0.0.1:1457/mcp/oauth/callback and http://127.0.0.1:1458/mcp/oauth/callback too if that happens',
    setup: (mcpUrl) => ({
      commands: [
        `cline mcp add --transport http --yes ${SERVER_NAME} ${mcpUrl}`,
        `cline mcp   # choose Authorize OAuth, then ${SERVER_NAME}`,
      ],
    }),
    narrowScopes: (scopes) => noScopeSetting('Cline', "the 401 challenge's scope", scopes),
  },
  {
    id: 'mcp-sdk',
    name: 'MCP SDK client',
    npmPackage: '@modelcontextprotocol/sdk',
    testedVersion: '1.32.2',
    registration: 'app',
    scopeChoice: 'challenge',
    defaultRedirectUri: 'the redirect_uris of your OAuthClientProvider',
    recipeRedirectUri: CLAUDE_CODE_REDIRECT_URI,
    callbackFix: 'your OAuthClientProvider.redirectUrl decides it; listen on that exact URI',
    setup: (mcpUrl) => ({
      commands: [
        `new StreamableHTTPClientTransport(new URL('${mcpUrl}'), { authProvider })   // redirectUrl ${CLAUDE_CODE_REDIRECT_URI}`,
      ],
    }),
    narrowScopes: (scopes) => `Set clientMetadata.scope to "${scopes.join(' ')}" in your OAuthClientProvider`,
  },
];

/** The known client behind a `client_id` (a metadata document URL) or a registered `client_name`. */
export function recogniseClient(
  clientId: string | null | undefined,
  clientName?: string | null,
): KnownClient | undefined {
  return KNOWN_CLIENTS.find(
    (client) =>
      (clientId != null && client.metadataDocumentUrl === clientId) ||
      (clientName != null && client.registeredName !== undefined && client.registeredName === clientName),
  );
}

export function knownClient(id: KnownClientId): KnownClient {
  const client = KNOWN_CLIENTS.find((candidate) => candidate.id === id);
  if (client === undefined) throw new Error(`Unknown client ${id}`);
  return client;
}
