// `pnpm oauth-client create --name X --redirect-uri U [--redirect-uri U2] [--auth-method client_secret_basic]`:
// creates a pre-registered confidential OAuth client on the dev stack's database and prints its id and
// secret once (for `claude mcp add --client-id ... --client-secret`). Only the secret's keyed hash is stored.
import { parseArgs } from 'node:util';
import { CLAUDE_CODE_CALLBACK_PORT, CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { redirectUriRegistrable } from '@enginy/policy/redirect-uri';
import { newClientCredentials } from '@enginy/security/credentials';
import { readConfigOrExit } from './env.ts';
import { onStackDatabase } from './stack-database.ts';

const USAGE = `Usage: pnpm oauth-client create --name "Claude Code" --redirect-uri ${CLAUDE_CODE_REDIRECT_URI} [--auth-method client_secret_post|client_secret_basic]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}

let parsed: {
  values: { name?: string; 'redirect-uri'?: string[]; 'auth-method'?: string; help?: boolean };
  positionals: string[];
};
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'auth-method': { type: 'string', default: 'client_secret_post' },
      help: { type: 'boolean' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals[0] !== 'create') fail('The only command is "create".');
const name = values.name?.trim() ?? '';
if (name === '') fail('--name is required.');
const redirectUris = values['redirect-uri'] ?? [];
if (redirectUris.length === 0) fail('--redirect-uri is required (repeat it for several).');
const invalid = redirectUris.find((uri) => !redirectUriRegistrable(uri));
if (invalid !== undefined) fail(`${invalid}: redirect URIs must be https, or http on localhost/127.0.0.1`);
const method = values['auth-method'];
if (method !== 'client_secret_post' && method !== 'client_secret_basic')
  fail('--auth-method must be client_secret_post or client_secret_basic.');

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
if (problem !== undefined) fail(problem);
