// `pnpm api-key --scopes CONTACTS_READ,MESSAGING_WRITE [--name x] [--workspace acme]`: creates an
// API key on the dev stack's database (the running embedded PostgreSQL, or it starts it) and prints
// it once. Only its keyed hash is stored; the key goes to stdout alone, everything else to stderr,
// so `KEY=$(pnpm -s api-key --scopes ...)` works.
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import { SCOPE_LIST, unknownScopes } from '@enginy/policy/scopes';

const COMMAND = defineCommand({
  usage: `Usage: pnpm api-key --scopes CONTACTS_READ,MESSAGING_WRITE [--name my-script] [--workspace acme]

Creates an API key for the REST API on the dev stack's database and prints it once (stdout alone,
so KEY=$(pnpm -s api-key --scopes ...) works). Only its keyed hash is stored.

  --scopes A,B         the key's scopes (required): ${SCOPE_LIST.join(', ')}
  --name <name>        a name to recognise it by (default cli)
  --workspace <slug>   the workspace it acts in (default acme; the seeded ones are acme and globex)
`,
  options: {
    scopes: { type: 'string' },
    name: { type: 'string', default: 'cli' },
    workspace: { type: 'string', default: 'acme' },
  },
});
function fail(message: string): never {
  return refuse(COMMAND, message);
}

const { values } = readCommandLine(COMMAND);
const scopes = (values.scopes ?? '')
  .split(/[\s,]+/)
  .map((scope) => scope.trim().toUpperCase())
  .filter(Boolean);
if (scopes.length === 0) fail('--scopes is required: a key with no scopes is denied everything.');
const unknown = unknownScopes(scopes);
if (unknown.length > 0) fail(`Unknown scope ${unknown.join(', ')}; scopes are ${SCOPE_LIST.join(', ')}`);

// Parsed before the rest is imported, so --help and a bad option answer at once.
const { issueApiKey } = await import('@enginy/db/queries/api-keys');
const { findWorkspace } = await import('@enginy/db/queries/workspaces');
const { newApiKey } = await import('@enginy/security/credentials');
const { readConfigOrExit } = await import('./env.ts');
const { onStackDatabase } = await import('./stack-database.ts');
const config = readConfigOrExit();
const problem = await onStackDatabase(config, async (db) => {
  const workspace = await findWorkspace(db, values.workspace);
  if (!workspace) throw new Error(`No workspace "${values.workspace}" (the seeded ones are acme and globex).`);
  const issued = await issueApiKey(db, config.tokenHashKey, {
    key: newApiKey(),
    workspaceId: workspace.id,
    name: values.name,
    scopes: [...new Set(scopes)],
  });
  process.stderr.write(
    `API key "${issued.name}" for ${workspace.name} (${workspace.slug}), scopes ${issued.scopes.join(', ')}.\n` +
      'It is shown once and stored only as a hash: keep it now.\n',
  );
  process.stdout.write(`${issued.key}\n`);
  process.stderr.write(`Use it as a header: curl -H "x-api-key: <key>" ${config.openapi.url}/v1/credits\n`);
});
if (problem !== undefined) {
  // The command line was fine; the database or the workspace was not.
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
