// The registration bodies real clients send, as recorded from the very versions this project tests
// against (tests/e2e/package.json; README "Clients verified"), replayed against the strict /register:
// every one must still register. Each body is the client's own code, read from its installed package.
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

const BOTH_GRANTS = ['authorization_code', 'refresh_token'];
const PRM_SCOPES = 'WORKSPACE_READ CONTACTS_READ COMPANIES_READ LISTS_READ';

/** [client, body it POSTs to /register]. */
const RECORDED: [string, Record<string, unknown>][] = [
  [
    // @anthropic-ai/claude-code 2.1.328 (native binary): `get clientMetadata()`; the scope is the PRM's
    // scopes_supported, offline_access appended when the authorization server lists it.
    'Claude Code 2.1.328',
    {
      client_name: 'Claude Code (enginy)',
      redirect_uris: ['http://localhost:3118/callback'],
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: PRM_SCOPES,
    },
  ],
  [
    // @google/gemini-cli 0.61 (bundle/chunk-5FZXKDXH.js): `registrationRequest`, scope `config.scopes?.join(" ") || ""`.
    'Gemini CLI 0.61 (scopes discovered)',
    {
      client_name: 'Gemini CLI MCP Client',
      redirect_uris: ['http://localhost:41517/oauth/callback'],
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: PRM_SCOPES,
    },
  ],
  [
    'Gemini CLI 0.61 (no scopes: an empty scope string)',
    {
      client_name: 'Gemini CLI MCP Client',
      redirect_uris: ['http://localhost:41518/oauth/callback'],
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: '',
    },
  ],
  [
    // opencode-ai 1.18.33 (opencode-linux-x64 binary): `get clientMetadata()`, scope only when configured.
    'opencode 1.18.33',
    {
      redirect_uris: ['http://127.0.0.1:19876/mcp/oauth/callback'],
      client_name: 'OpenCode',
      client_uri: 'https://opencode.ai',
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  ],
  [
    // mcp-remote 0.15.1 (dist/chunk-KJCT2FXL.js): `get clientMetadata()` with proxy.js's clientName; the
    // scope is the 401 challenge's.
    'mcp-remote 0.15.1',
    {
      redirect_uris: ['http://localhost:3118/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      client_name: 'MCP CLI Proxy',
      client_uri: 'https://github.com/modelcontextprotocol/mcp-cli',
      software_id: '2e6dc280-f3c3-4e01-99a7-8181dbd1d23d',
      software_version: '0.15.1',
      scope: 'CONTACTS_READ',
    },
  ],
  [
    // The MCP SDK client of tests/e2e (src/sdk-provider.ts).
    'MCP SDK client (tests/e2e)',
    {
      client_name: 'SDK client',
      redirect_uris: ['http://localhost:3118/callback'],
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  ],
  [
    // apps/doctor/src/registration.ts.
    'enginy doctor',
    {
      client_name: 'Claude Code (enginy doctor)',
      redirect_uris: ['http://localhost:3118/callback'],
      grant_types: BOTH_GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  ],
];

let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

describe('the registrations real clients send', () => {
  it.each(RECORDED)('%s registers', async (_client, body) => {
    const response = await app.inject({ method: 'POST', url: '/register', payload: body });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      client_name: body.client_name,
      redirect_uris: body.redirect_uris,
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
  });
});
