// Security review, in the browser: a client's self-chosen name cannot reorder the page around it
// (format controls are stripped, the name is isolated in <bdi>), and a refusal nobody signed in for
// is labelled as such in the attempts list.
import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI as CALLBACK } from '@enginy/config/defaults';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { SEED_IDS } from '@enginy/db/seed';
import { newClientCredentials } from '@enginy/security/credentials';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, openConsole } from '../src/console-page.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
const open: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const page of open) await page.close();
});

function authorizeUrl(clientId: string, redirectUri = CALLBACK): string {
  const verifier = randomBytes(32).toString('base64url');
  return `${e2e.stack.config.auth.issuer}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 's',
    resource: e2e.stack.config.openapi.mcpUrl,
  })}`;
}

describe('a client name with right-to-left text and a right-to-left override', () => {
  it('shows on the consent page stripped of the override and isolated, leaving the heading in order', async () => {
    const registration = await fetch(`${e2e.stack.config.auth.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'עברית\u202E tnegA',
        redirect_uris: [CALLBACK],
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id: clientId } = (await registration.json()) as { client_id: string };
    const consent = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connect', ADMIN);
    open.push(consent);
    await consent.page.goto(authorizeUrl(clientId));
    const heading = consent.page.getByRole('heading', { level: 1 });
    await eventually(() => heading.textContent()).toBe('Allow עברית tnegA to use Enginy?');
    expect(await heading.locator('bdi').textContent()).toBe('עברית tnegA');
  });
});

describe('a refusal before sign-in of a client this workspace pre-registered', () => {
  it('is listed, labelled unauthenticated', async () => {
    const { clientId } = await createPreregisteredClient(e2e.db, e2e.stack.config.tokenHashKey, {
      ...newClientCredentials(),
      name: 'Acme CI',
      redirectUris: [CALLBACK],
      workspaceId: SEED_IDS.acme,
    });
    const refused = await fetch(authorizeUrl(clientId, 'http://localhost:9999/elsewhere'), { redirect: 'manual' });
    expect(refused.status).toBe(400);
    const admin = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/attempts', ADMIN);
    open.push(admin);
    const row = admin.page
      .getByRole('table', { name: 'Authorization attempts' })
      .locator('tbody tr')
      .filter({ hasText: clientId });
    await eventually(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('before sign-in, unauthenticated');
    expect(await row.textContent()).toContain('redirect_uri is not registered for this client');
  });
});
