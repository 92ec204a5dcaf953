// `pnpm oauth-client create --name X --redirect-uri U [--redirect-uri U2] [--auth-method client_secret_basic]`:
// creates a pre-registered confidential OAuth client on the dev stack's database and prints its id and
// secret once (for `claude mcp add --client-id ... --client-secret`). Only the secret's keyed hash is stored.
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import { CLAUDE_CODE_CALLBACK_PORT, CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { redirectUriRegistrable } from '@enginy/policy/redirect-uri';

const COMMAND = defineCommand({
  usage: `Usage: pnpm oauth-client create --name "Claude Code" --redirect-uri ${CLAUDE_CODE_REDIRECT_URI} [--auth-method client_secret_post|client_secret_basic]

Creates a pre-registered confidential OAuth client on the dev stack's database and prints its
client_id and client_secret once. Only the secret's keyed hash is stored.

  --name <name>           the client's display name (required)
  --redirect-uri <uri>    https, or http on localhost/127.0.0.1 (required; repeat it for several)
  --auth-method <method>  client_secret_post (default) or client_secret_basic
`,
  positionals: true,
  options: {
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'auth-method': { type: 'string', default: 'client_secret_post' },
  },
});
function fail(message: string): never {
  return refuse(COMMAND, message);
}

const { values, positionals } = readCommandLine(COMMAND);
if (positionals[0] !== 'create' || positionals.length > 1) fail('The only command is "create".');
const name = values.name?.trim() ?? '';
if (name === '') fail('--name is required.');
const redirectUris = values['redirect-uri'] ?? [];
if (redirectUris.length === 0) fail('--redirect-uri is required (repeat it for several).');
const invalid = redirectUris.find((uri) => !redirectUriRegistrable(uri));
if (invalid !== undefined) fail(`${invalid}: redirect URIs must be https, or http on localhost/127.0.0.1`);
const method = values['auth-method'];
if (method !== 'client_secret_post' && method !== 'client_secret_basic')
  fail('--auth-method must be client_secret_post or client_secret_basic.');

// Parsed before the rest is imported, so --help and a bad option answer at once.
const { createPreregisteredClient } = await import('@enginy/db/queries/oauth-clients');
const { newClientCredentials } = await import('@enginy/security/credentials');
const { readConfigOrExit } = await import('./env.ts');
const { onStackDatabase } = await import('./stack-database.ts');
const config = readConfigOrExit();
const problem = await onStackDatabase(config, async (db) => {
  const created = await createPreregisteredClient(db, config.tokenHashKey, {
    ...newClientCredentials(),
    name,
    redirectUris,
    tokenEndpointAuthMethod: method,
  });
  process.stderr.write(
    `OAuth client "${name}" (${method}), redirect URIs ${redirectUris.join(' ')}.\nThe secret is shown once and stored only as a hash: keep it now.\n`,
  );
  process.stdout.write(`client_id=${created.clientId}\nclient_secret=${created.clientSecret}\n`);
  process.stderr.write(
    `Use it: claude mcp add --transport http --callback-port ${CLAUDE_CODE_CALLBACK_PORT} --client-id ${created.clientId} --client-secret enginy ${config.openapi.mcpUrl}\n`,
  );
});
if (problem !== undefined) {
  // The command line was fine; the database was not.
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
