// The failure lab's scenarios at the MCP endpoint and its resource metadata, through the real app and
// PostgreSQL: off, the endpoint answers as always; switched on from another connection (as `pnpm lab`
// does) it fails exactly as the catalogue says, from the very next request.
import type { LabScenarioName } from '@enginy/config/failure-lab';
import { createDb, type Db } from '@enginy/db/client';
import { switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { MCP_HEADERS, mintAccessToken, rpc } from '../helpers/oauth-token.ts';

let h: Harness;
let cli: Db;
beforeAll(async () => {
  h = await startHarness();
  cli = createDb(h.t.url, { max: 1 });
});
afterAll(async () => {
  await cli?.destroy();
  await h?.close();
});
afterEach(() => switchAllLabOff(cli));

const labOn = (scenario: LabScenarioName, workspaceId: string | null = null) =>
  switchLabOn(cli, { scenario, workspaceId, options: {}, remaining: null, by: 'cli:test' });
const post = (body: unknown, token?: string) =>
  h.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...MCP_HEADERS, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    payload: JSON.stringify(body),
  });
const metadata = async () =>
  (await h.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/mcp' })).json();
const call = (name: string, token: string, args: Record<string, unknown> = {}) =>
  post(rpc('tools/call', { name, arguments: args }), token);

describe('challenge-without-scope', () => {
  it('off: the 401 challenge names the scopes to request', async () => {
    expect((await post(rpc('initialize'))).headers['www-authenticate']).toContain('scope="');
  });

  it('on: the 401 challenge carries no scope, still resource_metadata; the metadata keeps scopes_supported', async () => {
    await labOn('challenge-without-scope');
    const response = await post(rpc('initialize'));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer resource_metadata="http://localhost:3001/.well-known/oauth-protected-resource/mcp"',
    );
    expect((await metadata()).scopes_supported).toContain('CONTACTS_READ');
  });
});

describe('resource-mismatch', () => {
  it('off: resource is the MCP URL itself', async () => {
    expect((await metadata()).resource).toBe(h.config.openapi.mcpUrl);
  });

  it('on: resource differs from the URL the metadata is for (a trailing slash), in both forms', async () => {
    await labOn('resource-mismatch');
    expect((await metadata()).resource).toBe(`${h.config.openapi.mcpUrl}/`);
    const root = await h.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource' });
    expect(root.json().resource).toBe(`${h.config.openapi.mcpUrl}/`);
  });
});

describe('issuer-moved', () => {
  it('off: the metadata names the stack’s issuer', async () => {
    expect((await metadata()).authorization_servers).toEqual([h.config.auth.issuer]);
  });

  it('on: the metadata names the second issuer, <issuer>/v2, in both forms; resource is unchanged', async () => {
    await labOn('issuer-moved');
    const document = await metadata();
    expect(document.authorization_servers).toEqual([`${h.config.auth.issuer}/v2`]);
    expect(document.resource).toBe(h.config.openapi.mcpUrl);
    const root = await h.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource' });
    expect(root.json().authorization_servers).toEqual([`${h.config.auth.issuer}/v2`]);
  });
});

describe('step-up', () => {
  it('off: a tool whose scope the grant lacks is the documented tool error', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await call('list_lists', token);
    expect(response.statusCode).toBe(200);
    expect(response.json().result.content[0].text).toBe('Tool requires scopes: LISTS_READ');
  });

  it('on: a scope the policy allows but the grant lacks answers 403 insufficient_scope naming it', async () => {
    await labOn('step-up', SEED_IDS.acme);
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await call('list_lists', token);
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", resource_metadata="http://localhost:3001/.well-known/oauth-protected-resource/mcp", scope="LISTS_READ", error_description="Tool requires scopes: LISTS_READ"',
    );
    expect(response.json()).toMatchObject({
      error: 'insufficient_scope',
      error_description: 'Tool requires scopes: LISTS_READ',
    });
    // A tool the grant holds still runs.
    const held = await call('search_contacts', token, { body: { page: 1, pageSize: 1 } });
    expect(held.statusCode).toBe(200);
    expect(held.json().result.isError).toBeUndefined();
  });

  it('on: a scope the policy does not allow stays the documented tool error', async () => {
    await labOn('step-up');
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const response = await call('create_contact', token, { body: { firstName: 'Ada', lastName: 'Lovelace' } });
    expect(response.statusCode).toBe(200);
    expect(response.json().result.content[0].text).toBe('Tool requires scopes: CONTACTS_WRITE');
  });
});

describe('mcp_whoami', () => {
  const whoami = async (token: string) => (await call('mcp_whoami', token)).json().result.structuredContent;

  it('off: says nothing of the lab', async () => {
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const result = await whoami(token);
    expect(result).not.toHaveProperty('failureLab');
    expect(result.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
  });

  it("on: lists the scenarios in force for this connection, global and its workspace's, as a failed check", async () => {
    await labOn('no-dcr');
    await labOn('step-up', SEED_IDS.acme);
    await labOn('refresh-no-grace', SEED_IDS.globex);
    const { token } = await mintAccessToken(h.t.db, h.config, { scopes: ['CONTACTS_READ'] });
    const result = await whoami(token);
    expect(result.failureLab).toEqual([
      { scenario: 'no-dcr', scope: 'global', options: {} },
      { scenario: 'step-up', scope: 'this workspace', options: {} },
    ]);
    expect(result.checks.at(-1)).toEqual({
      check: 'No failure-lab scenario is switched on',
      ok: false,
      detail: 'In force: no-dcr, step-up. Switch them off with: pnpm lab off --all',
    });
  });
});
