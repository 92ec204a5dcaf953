// Security review (L1): a pre-registered client's name skipped the cleaning /register and
// metadata documents get, so U+202E and U+200B reached every list and the consent page of its users.
// Names already stored so are shown clean too, wherever a client name is served.
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, type Console, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

const base = `/console/workspaces/${ACME}`;
const DIRTY = 'Claude Code\u202E\u200Bevil';
const CLEAN = 'Claude Codeevil';
const BIDI_OR_INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

const create = (name: string) =>
  c.call('POST', `${base}/clients`, c.admin, { name, redirectUris: ['http://localhost:3118/callback'] });

/** A stored name as an older release, or a direct write, may have left it. */
const storeName = (clientId: string, name: string) =>
  c.t.db.updateTable('oauth_clients').set({ name }).where('id', '=', clientId).execute();

async function consentName(clientId: string): Promise<string> {
  const id = await c.oauth.startAuthorization({ clientId, challenge: 'c'.repeat(43) });
  const consent = await c.call('GET', `/consent/${id}?workspace=${ACME}`, c.admin);
  expect(consent.statusCode).toBe(200);
  return consent.json().request.clientName;
}

describe('a pre-registered client name', () => {
  it('is cleaned when created: stored, answered and listed without bidi or invisible characters', async () => {
    const response = await create(DIRTY);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.name).toBe(CLEAN);
    const row = await c.t.db
      .selectFrom('oauth_clients')
      .select('name')
      .where('id', '=', created.clientId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe(CLEAN);
    const listed = (await c.call('GET', `${base}/clients`, c.member)).json().clients;
    expect(listed.find((x: { id: string }) => x.id === created.clientId).name).toBe(CLEAN);
    expect(await consentName(created.clientId)).toBe(CLEAN);
  });

  it('with nothing left once cleaned is refused, naming the field, and nothing is stored', async () => {
    const before = (await c.call('GET', `${base}/clients`, c.admin)).json().clients.length;
    const response = await create('\u202E\u200B\u2066');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error: 'validation_failed', field: 'name' });
    expect(response.json().error_description).toMatch(/^name: /);
    expect((await c.call('GET', `${base}/clients`, c.admin)).json().clients.length).toBe(before);
  });
});

describe('a client name already stored with bidi or invisible characters is served clean', () => {
  let clientId: string;
  beforeAll(async () => {
    const created = (await create('Stored later')).json();
    clientId = created.clientId;
    await storeName(clientId, DIRTY);
    // A connection (the connections list) and an authorization attempt (the attempts list) of this client.
    await c.connect(ACME, undefined, created);
  });

  it('in the console list of pre-registered clients', async () => {
    const listed = (await c.call('GET', `${base}/clients`, c.member)).json().clients;
    expect(listed.find((x: { id: string }) => x.id === clientId).name).toBe(CLEAN);
  });

  it('on the consent page', async () => {
    expect(await consentName(clientId)).toBe(CLEAN);
  });

  it('in the connections list', async () => {
    const connections = (await c.call('GET', `${base}/connections`, c.member)).json().connections;
    const mine = connections.filter((x: { clientId: string }) => x.clientId === clientId);
    expect(mine.length).toBeGreaterThan(0);
    for (const connection of mine) expect(connection.clientName).toBe(CLEAN);
  });

  it('in the attempts list', async () => {
    // The admin event of its creation, as a release before the cleaning recorded it.
    await c.t.db
      .insertInto('auth_events')
      .values({
        workspace_id: ACME,
        user_id: SEED_IDS.admin,
        client_id: clientId,
        requested_scopes: [],
        outcome: 'allowed',
        reason: 'client_created',
        details: JSON.stringify({ name: DIRTY, redirectUris: ['http://localhost:3118/callback'] }),
      })
      .execute();
    const attempts = (await c.call('GET', `${base}/attempts?clientId=${clientId}`, c.member)).json().attempts;
    expect(attempts.length).toBeGreaterThan(0);
    for (const attempt of attempts) expect(attempt.clientName).toBe(CLEAN);
    const created = attempts.find((x: { reason: string }) => x.reason === 'client_created');
    expect(created.details.name).toBe(CLEAN);
  });

  it('in the list of metadata-document clients', async () => {
    const cimd = 'https://spoof.example/client.json';
    await c.t.db
      .insertInto('oauth_clients')
      .values({
        id: cimd,
        kind: 'cimd',
        name: DIRTY,
        redirect_uris: ['http://localhost/callback'],
        token_endpoint_auth_method: 'none',
        metadata: JSON.stringify({ client_id: cimd }),
        metadata_source: 'fetched',
        metadata_checked_at: new Date(),
      })
      .execute();
    await c.t.db
      .insertInto('auth_events')
      .values({
        workspace_id: ACME,
        client_id: cimd,
        user_id: SEED_IDS.admin,
        requested_scopes: [],
        outcome: 'denied',
        reason: 'scopes_not_allowed',
        details: '{}',
      })
      .execute();
    const clients = (await c.call('GET', `${base}/cimd-clients`, c.member)).json().clients;
    expect(clients.find((x: { id: string }) => x.id === cimd).name).toBe(CLEAN);
  });

  it('a stored name with nothing left shows the client ID', async () => {
    await storeName(clientId, '\u202E\u200B');
    const listed = (await c.call('GET', `${base}/clients`, c.member)).json().clients;
    expect(listed.find((x: { id: string }) => x.id === clientId).name).toBe(clientId);
    await storeName(clientId, DIRTY);
  });

  it('nowhere in the console answers', async () => {
    for (const path of ['clients', 'cimd-clients', 'connections', 'attempts'])
      expect((await c.call('GET', `${base}/${path}`, c.admin)).body).not.toMatch(BIDI_OR_INVISIBLE);
  });
});
