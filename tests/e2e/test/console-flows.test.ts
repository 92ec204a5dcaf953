// The Flows page in Chromium against the real stack: a connection made by `pnpm mcp-token` (discovery
// from the 401, registration, /authorize, sign-in and consent, token) and its first tool call show as
// one flow; it opens into its timeline, and "Copy as JSON" copies it without the token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SEED_IDS } from '@enginy/db/seed';
import { fetchTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsolePage, eventually, expectNoErrors, goTo, openConsole, screenshot } from '../src/console-page.ts';
import { mcpTokenCli } from '../src/mcp-token-cli.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';
import { whoami } from '../src/whoami.ts';

const e2e = useStackAndBrowser();
let admin: ConsolePage;
let token: string;

beforeAll(async () => {
  const mcpUrl = e2e.stack.config.openapi.mcpUrl;
  const run = await mcpTokenCli(['--mcp-url', mcpUrl]);
  expect(run.code, run.stderr).toBe(0);
  token = run.stdout.trim();
  // The first tool call: the flow's last step, written by the next usage flush (every 2 s).
  const client = new Client({ name: 'flows-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  await whoami(client);
  await client.close();
  admin = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connect', ADMIN);
});
afterAll(async () => {
  await admin?.close();
});

describe('Flows', () => {
  it('lists the connection, opens its timeline from discovery to the first MCP call, and copies it as JSON', async () => {
    const { page } = admin;
    await goTo(page, 'Flows');
    const flows = page.getByRole('list', { name: 'Flows' });
    const flow = flows.getByRole('listitem').filter({ hasText: 'enginy mcp-token' }).first();
    await flow.waitFor();
    expect(await flow.getAttribute('data-outcome')).toBe('connected');

    await flow.getByRole('button').first().click();
    const timeline = flow.getByRole('list', { name: 'Timeline' });
    // The usage flush writes the first MCP call within a few seconds; the page refreshes every 3 s.
    await eventually(
      async () =>
        (
          await timeline.locator(':scope > li').evaluateAll((items) => items.map((i) => i.getAttribute('data-step')))
        ).join(' '),
      20_000,
    ).toMatch(/^discovery( discovery)* register authorize sign-in consent token mcp$/);
    const authorize = timeline.locator('li[data-step="authorize"]');
    expect(await authorize.textContent()).toContain('code_challenge_methodS256');
    await screenshot(page, 'flows-timeline');

    await flow.getByRole('button', { name: 'Copy as JSON' }).click();
    await eventually(() => flow.getByRole('status').textContent()).toBe('Copied');
    const copied = JSON.parse(String(await page.evaluate('navigator.clipboard.readText()')));
    expect(copied).toMatchObject({ client: { name: 'enginy mcp-token' }, outcome: 'connected', stoppedAt: null });
    expect(copied.steps.map((s: { step: string }) => s.step)).toContain('mcp');
    expect(JSON.stringify(copied)).not.toContain(token);
    expectNoErrors(admin);
  });

  it('filters by outcome: a connected flow is not among the stopped ones', async () => {
    const { page } = admin;
    await page.getByLabel('Outcome').selectOption('stopped');
    await eventually(() => page.getByText('No flow matches.').count()).toBe(1);
    await page.getByLabel('Outcome').selectOption('connected');
    // The flows themselves (an opened flow's timeline is a list of its own).
    const connected = page.getByRole('list', { name: 'Flows' }).locator(':scope > li');
    await eventually(() => connected.filter({ hasText: 'enginy mcp-token' }).count()).toBe(1);
    expect(await connected.evaluateAll((items) => items.map((i) => i.getAttribute('data-outcome')))).not.toContain(
      'stopped',
    );
    expectNoErrors(admin);
  });

  it('a flow stopped by a redirect URI the workspace does not allow shows where it stopped and the fix', async () => {
    const { config } = e2e.stack;
    const sent = 'http://127.0.0.1:3118/callback';
    const oauth = oauthClient(fetchTransport(config.auth.issuer), config);
    const clientId = (await oauth.register({ client_name: 'Stopped e2e client', redirect_uris: [sent] })).client_id;
    const requestId = await oauth.startAuthorization({ clientId, redirectUri: sent, challenge: pkcePair().challenge });
    const view = await oauth.consentView(await oauth.signIn(ADMIN), requestId, SEED_IDS.acme);
    expect(view.decision.outcome).toBe('denied');

    const { page } = admin;
    await page.getByLabel('Outcome').selectOption('stopped');
    const flow = page
      .getByRole('list', { name: 'Flows' })
      .locator(':scope > li')
      .filter({ hasText: 'Stopped e2e client' });
    await eventually(() => flow.count()).toBe(1);
    expect(await flow.textContent()).toContain('stopped at Consent');
    await flow.getByRole('button').first().click();
    const stop = flow.getByRole('note');
    expect(await stop.textContent()).toContain('Stopped at Consent: redirect_uri is not allowed');
    expect(await stop.textContent()).toContain(`Fix: ${sent} differs from the allowed http://localhost:3118/callback`);
    await screenshot(page, 'flows-stopped');
    expectNoErrors(admin);
  });
});
