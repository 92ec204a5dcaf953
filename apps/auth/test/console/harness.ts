// The console's test setup: a fresh database, the app, the seeded admin and member signed in, and
// a way to open a real connection (authorize → consent → token) to check revocations and policy.
import { randomUUID } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import { type ActiveAccessTokenRow, findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';
import { hashSecret } from '@enginy/security/tokens';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { injectTransport, MEMBER, type OAuthTestClient, oauthClient } from '@enginy/testing/oauth-client';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.ts';

export const ACME = SEED_IDS.acme;
export const GLOBEX = SEED_IDS.globex;
type Session = { cookie: string; csrfToken: string };
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Console {
  t: TestDatabase;
  app: FastifyInstance;
  config: StackConfig;
  /** The OAuth test client on this app. */
  oauth: OAuthTestClient<LightMyRequestResponse>;
  admin: Session;
  member: Session;
  /** A request as the web app sends it: cookie, CSRF header and the web origin. */
  call: (
    method: Method,
    url: string,
    who: Session | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>;
  /** Opens a connection as the admin: a registered client, an approved grant, and its access token. */
  connect: (
    workspaceId: string,
    scope?: string,
    client?: { clientId: string; clientSecret: string },
  ) => Promise<{ clientId: string; accessToken: string; grantId: string }>;
  /** The live token and what its grant may do today (the policy in force applied), or undefined. */
  active: (accessToken: string) => Promise<(ActiveAccessTokenRow & { effectiveScopes: string[] }) | undefined>;
  close: () => Promise<void>;
}

export async function startConsole(): Promise<Console> {
  const t = await createTestDatabase();
  const config = testConfig(t.url);
  const app = await buildApp(config, { db: t.db });
  // Both workspaces accept the test redirect URI with a generous policy; tests narrow it as they need.
  await t.db
    .updateTable('workspace_mcp_settings')
    .set({
      enabled: true,
      allowed_redirect_uris: [REDIRECT_URI],
      allowed_client_ids: [],
      policy_scopes: ['WORKSPACE_READ', 'CONTACTS_WRITE'],
      policy_active: true,
    })
    .execute();
  const oauth = oauthClient(injectTransport(app), config);
  const admin = await oauth.signIn();
  const member = await oauth.signIn(MEMBER);
  const call: Console['call'] = (method, url, who, payload, headers = {}) => {
    const options: InjectOptions = {
      method,
      url,
      headers: {
        origin: config.web.url,
        ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrfToken } : {}),
        ...headers,
      },
    };
    if (payload !== undefined) options.payload = payload as InjectOptions['payload'];
    return app.inject(options);
  };
  const active = async (accessToken: string) => {
    const row = await findActiveAccessToken(t.db, hashSecret(config.tokenHashKey, accessToken));
    return row && withEffectiveScopes(row);
  };
  const connect: Console['connect'] = async (workspaceId, scope, client) => {
    const clientId =
      client?.clientId ?? (await oauth.register({ client_name: `Console test ${randomUUID()}` })).client_id;
    const { code, verifier } = await oauth.approvedCode(admin, workspaceId, { clientId, scope });
    const response = await oauth.token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      resource: config.openapi.mcpUrl,
      ...(client ? { client_secret: client.clientSecret } : {}),
    });
    expect(response.statusCode).toBe(200);
    const accessToken = response.json<{ access_token: string }>().access_token;
    const grant = await active(accessToken);
    expect(grant).toBeDefined();
    return { clientId, accessToken, grantId: grant?.grantId as string };
  };
  return {
    t,
    app,
    config,
    oauth,
    admin,
    member,
    call,
    connect,
    active,
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
}
