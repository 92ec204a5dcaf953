// `pnpm mcp-token [--email E] [--password P] [--workspace acme] [--scopes A,B] [--json] [--mcp-url U]`:
// a real MCP access token for scripts and integration tests, through the whole OAuth flow a client and
// a person go through (mcp-token-flow.ts), headlessly. The token goes to stdout alone (so
// `TOKEN=$(pnpm -s mcp-token)` works), or with --json the whole token response; everything else to stderr.
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import { CLAUDE_CODE_REDIRECT_URI, DEFAULT_HOST, DEFAULT_PORTS, DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';

const DEFAULT_MCP_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORTS.openapi}/mcp`;
const USAGE = `Usage: pnpm mcp-token [--email ${DEFAULT_SEED_ADMIN.email}] [--password ${DEFAULT_SEED_ADMIN.password}] [--workspace acme] [--scopes A,B] [--json] [--mcp-url ${DEFAULT_MCP_URL}] [--redirect-uri ${CLAUDE_CODE_REDIRECT_URI}]`;

const COMMAND = defineCommand({
  usage: USAGE,
  options: {
    email: { type: 'string', default: DEFAULT_SEED_ADMIN.email },
    password: { type: 'string', default: DEFAULT_SEED_ADMIN.password },
    workspace: { type: 'string', default: 'acme' },
    scopes: { type: 'string' },
    json: { type: 'boolean' },
    'mcp-url': { type: 'string', default: DEFAULT_MCP_URL },
    'redirect-uri': { type: 'string', default: CLAUDE_CODE_REDIRECT_URI },
  },
});
const { values } = readCommandLine(COMMAND);
// Parsed before the rest is imported, so --help and a bad option answer at once.
const { isProductionEnv } = await import('./env.ts');
const { failureLine } = await import('./mcp-token-failure.ts');
const { mcpToken } = await import('./mcp-token-flow.ts');
// It signs in with a password given on the command line: for development stacks only.
if (isProductionEnv()) {
  process.stderr.write(
    'pnpm mcp-token refuses to run with NODE_ENV=production: it is for development and test stacks.\n',
  );
  process.exit(2);
}
if (!URL.canParse(values['mcp-url'])) refuse(COMMAND, `--mcp-url ${values['mcp-url']} is not a URL`);
const scopes = values.scopes?.split(/[\s,]+/).filter(Boolean);
if (scopes?.length === 0) refuse(COMMAND, '--scopes names no scope; leave it out to ask for what the server offers');

// A server that accepts the connection and never answers would otherwise hold a CI job until its own limit.
const TIME_LIMIT_MS = 120_000;
setTimeout(() => {
  process.stderr.write(
    `No token within ${TIME_LIMIT_MS / 1000} s: the stack at ${values['mcp-url']} stopped answering.\n`,
  );
  process.exit(1);
}, TIME_LIMIT_MS).unref();

try {
  const { token, workspace } = await mcpToken({
    mcpUrl: values['mcp-url'],
    email: values.email,
    password: values.password,
    workspace: values.workspace,
    scopes: scopes?.join(' '),
    redirectUri: values['redirect-uri'],
  });
  process.stdout.write(values.json ? `${JSON.stringify(token, null, 2)}\n` : `${token.access_token}\n`);
  process.stderr.write(
    `MCP access token for ${values.email} in ${workspace.name} (${workspace.slug}), scopes "${token.scope}", expires in ${token.expires_in} s.\n`,
  );
} catch (error) {
  process.stderr.write(`${failureLine(error)}\n`);
  process.exitCode = 1;
}
