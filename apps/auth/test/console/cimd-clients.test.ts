// GET /console/workspaces/:id/cimd-clients: the client ID metadata document clients a workspace has
// seen, with where their metadata came from; never the clients seen only in other workspaces.
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const CLAUDE = 'https://claude.ai/oauth/claude-code-client-metadata';
const CODEX = 'https://chatgpt.com/oauth/codex/client.json';
const HOME_MADE = 'https://agent.example/client.json';
const GONE = 'https://gone.example/client.json';

async function cimdClient(
  id: string,
  name: string,
  source: 'fetched' | 'bundled' | 'unverified',
  fetchedAt: Date | null,
  deleted = false,
) {
  await c.t.db
    .insertInto('oauth_clients')
    .values({
      id,
      kind: 'cimd',
      name,
      redirect_uris: ['http://localhost/callback'],
      token_endpoint_auth_method: 'none',
      metadata: JSON.stringify({ client_id: id }),
      fetched_at: fetchedAt,
      metadata_source: source,
      metadata_checked_at: new Date(),
      deleted_at: deleted ? new Date() : null,
    })
    .execute();
}

const attempt = (clientId: string, workspaceId: string | null) =>
  c.t.db
    .insertInto('auth_events')
    .values({
      workspace_id: workspaceId,
      client_id: clientId,
      requested_scopes: [],
      outcome: 'denied',
      reason: 'scopes_not_allowed',
      details: '{}',
    })
    .execute();

const list = async (workspaceId: string, who = c.member) => {
  const response = await c.call('GET', `/console/workspaces/${workspaceId}/cimd-clients`, who);
  expect(response.statusCode).toBe(200);
  return response.json<{
    clients: {
      id: string;
      metadataSource: string;
      fetchedAt: string | null;
      checkedAt: string;
      lastAttemptAt: string | null;
      liveConnections: number;
      redirectUris: string[];
    }[];
  }>().clients;
};

beforeAll(async () => {
  const hourAgo = new Date(Date.now() - 3_600_000);
  await cimdClient(CLAUDE, 'Claude Code', 'fetched', hourAgo);
  await cimdClient(CODEX, 'Codex', 'bundled', null);
  await cimdClient(HOME_MADE, 'agent.example', 'unverified', null);
  await cimdClient(GONE, 'Gone', 'fetched', hourAgo, true);
  await attempt(CLAUDE, ACME);
  await attempt(GONE, ACME);
  // Codex only in Globex; the home-made client only before sign-in (no workspace yet) and with a grant in Globex.
  await attempt(CODEX, GLOBEX);
  await attempt(HOME_MADE, null);
  await c.t.db
    .insertInto('oauth_grants')
    .values({
      workspace_id: GLOBEX,
      user_id: SEED_IDS.admin,
      client_id: HOME_MADE,
      redirect_uri: REDIRECT_URI,
      scopes: ['WORKSPACE_READ'],
      resource: c.config.openapi.mcpUrl,
    })
    .execute();
});

describe('metadata document clients of a workspace', () => {
  it('lists a client with an attempt in the workspace, with its source and ages, to a member too', async () => {
    const clients = await list(ACME);
    expect(clients.map((x) => x.id)).toEqual([CLAUDE]);
    expect(clients[0]).toMatchObject({
      name: 'Claude Code',
      metadataSource: 'fetched',
      redirectUris: ['http://localhost/callback'],
      liveConnections: 0,
    });
    expect(Date.now() - Date.parse(clients[0]?.fetchedAt as string)).toBeGreaterThan(3_500_000);
    expect(clients[0]?.lastAttemptAt).not.toBeNull();
  });

  it('lists a client with a grant in the workspace, and counts its live connections', async () => {
    const clients = await list(GLOBEX, c.admin);
    expect(clients.map((x) => [x.id, x.metadataSource, x.liveConnections])).toEqual([
      [CODEX, 'bundled', 0],
      [HOME_MADE, 'unverified', 1],
    ]);
  });

  it('is refused to a non-member as an unknown workspace', async () => {
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/cimd-clients`, c.member)).statusCode).toBe(404);
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/cimd-clients`, undefined)).statusCode).toBe(401);
  });
});
