// What the MCP SDK client really does with each failure-lab scenario switched on. A host written as
// the SDK's own example client (src/sdk-host.ts) connects and calls a tool; the scenario is switched
// on through the console's failure-lab API (the lab page's own switches), and what the client sent is
// read back from the console's Flows view. Every assertion is an observation, never what the client
// should do: packages/config/src/failure-lab-agents/sdk-client.ts states the same, and a new SDK
// version that behaves otherwise fails here.
import { SDK_CLIENT } from '@enginy/config/failure-lab-agents/sdk-client';
import { READ_SCOPES } from '@enginy/policy/scopes';
import type { ConsoleClient, ConsoleFlow } from '@enginy/testing/console-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../src/console-api.ts';
import { SdkHost } from '../src/sdk-host.ts';
import { recordOf } from '../src/lab-steps.ts';
import { useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
let api: ConsoleClient;
let mcpUrl: string;

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  mcpUrl = e2e.stack.config.openapi.mcpUrl;
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});

/** A new host with a client name of its own: the same registration twice would be the same client. */
const host = (scenario: string) => new SdkHost(mcpUrl, e2e.browser, `SDK client, lab ${scenario}`);

type Step = ConsoleFlow['steps'][number];
/** The client's steps after discovery, as `step status [error]`, read from the Flows view. */
async function stepsOf(clientId: string | undefined): Promise<Step[]> {
  const flows = await api.flows({ clientId: clientId as string });
  return flows
    .reverse()
    .flatMap((flow) => flow.steps)
    .filter((step) => step.step !== 'discovery' && step.step !== 'mcp');
}
const line = (step: Step) => `${step.step} ${step.status}${step.error === null ? '' : ` ${step.error}`}`;
const lines = async (clientId: string | undefined) => (await stepsOf(clientId)).map(line);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];

/** The error the host got from the SDK, as the user would see it. */
async function failure(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the SDK did not fail');
}

/** Connects and verifies the connection, as a host does at start. */
async function connected(scenario: string): Promise<SdkHost> {
  const h = host(scenario);
  await h.connect();
  expect(((await h.call('mcp_whoami')).structuredContent as { user: unknown }).user).toBeDefined();
  return h;
}

/** The record's sentence for `scenario`, once its reaction is the one observed here. */
const seen = recordOf(SDK_CLIENT);
/** A message as the record quotes it: the dev stack's MCP URL, `<id>` for a client ID. */
function asQuoted(message: string, clientId?: string): string {
  const quoted = message.replaceAll(mcpUrl, 'http://localhost:3001/mcp');
  return clientId === undefined ? quoted : quoted.replaceAll(clientId, '<id>');
}

describe('the MCP SDK client under each failure-lab scenario', () => {
  it('expire-access: refreshes once, after the 401, never before expiry; no new sign-in', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await connected('expire-access');
    expect(h.provider.saved?.expires_in).toBe(3);
    const first = h.provider.saved?.access_token;
    await h.accessTokenExpired();
    expect((await h.call('mcp_whoami')).isError).toBeFalsy();
    expect(h.provider.saved?.access_token).not.toBe(first);
    expect(h.visits).toHaveLength(1);
    await expect.poll(() => lines(h.clientId)).toEqual([...SIGN_IN, 'refresh 200']);
    const steps = await stepsOf(h.clientId);
    const token = steps.find((s) => s.step === 'token') as Step;
    const refresh = steps.find((s) => s.step === 'refresh') as Step;
    expect(refresh.sent.grant_type).toBe('refresh_token');
    expect(Date.parse(refresh.at) - Date.parse(token.at)).toBeGreaterThanOrEqual(3_000);
    seen('expire-access', 'recovers');
  });

  it('step-up: refreshes instead of authorizing again, then stops with its loop guard', async () => {
    const h = await connected('step-up');
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const message = await failure(() =>
      h.call('create_contact', { body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' } }),
    );
    expect(message).toBe('Streamable HTTP error: Server returned 403 after trying upscoping');
    // Never sent to the browser for CONTACTS_WRITE: the refresh cannot widen the grant (RFC 6749 §6).
    expect(h.visits).toHaveLength(1);
    await expect.poll(() => lines(h.clientId)).toEqual([...SIGN_IN, 'refresh 200']);
    const refresh = (await stepsOf(h.clientId)).at(-1) as Step;
    expect(refresh.scenarios).toContain('step-up');
    expect(refresh.sent.scope).toBeUndefined();
    expect(seen('step-up', 'stops')).toContain(message);
  });

  it('forget-client: replays the forgotten client_id twice at /token, never registers again, stops', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await connected('forget-client');
    await api.labOn('forget-client', 'global');
    await h.accessTokenExpired();
    const message = await failure(() => h.call('mcp_whoami'));
    expect(message).toBe(`Unknown client_id ${h.clientId}; register the client again`);
    expect(h.visits).toHaveLength(1);
    await expect
      .poll(() => lines(h.clientId))
      .toEqual([...SIGN_IN, 'refresh 401 invalid_client', 'refresh 401 invalid_client']);
    expect(seen('forget-client', 'stops')).toContain(asQuoted(message, h.clientId));
  });

  it('no-dcr: stops at discovery with its own message; nothing reaches the authorization server', async () => {
    await api.labOn('no-dcr', 'global');
    const h = host('no-dcr');
    const message = await failure(() => h.connect());
    expect(message).toBe('Incompatible auth server: does not support dynamic client registration');
    expect(h.clientId).toBeUndefined();
    expect(h.visits).toHaveLength(0);
    expect((await api.flows()).filter((flow) => flow.client.name === 'SDK client, lab no-dcr')).toEqual([]);
    expect(seen('no-dcr', 'stops')).toContain(message);
  });

  it('issuer-moved: keeps working until expiry, then registers again at the new issuer and authorizes there', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await connected('issuer-moved');
    const oldClient = h.clientId;
    const issuer = e2e.stack.config.auth.issuer;
    await api.labOn('issuer-moved', 'global');
    // The old issuer's token is still good at the MCP endpoint: nothing happens until it expires.
    expect((await h.call('mcp_whoami')).isError).toBeFalsy();
    expect(h.visits).toHaveLength(1);
    await h.accessTokenExpired();
    expect((await h.call('mcp_whoami')).isError).toBeFalsy();
    // SEP-2352 as the SDK implements it: the old issuer's client and tokens are discarded, not presented.
    expect(h.clientId).not.toBe(oldClient);
    expect(h.visits.map((visit) => new URL(visit.url).pathname)).toEqual(['/authorize', '/v2/authorize']);
    expect(h.visits[1]?.callback?.searchParams.get('iss')).toBe(`${issuer}/v2`);
    await expect.poll(() => lines(oldClient)).toEqual(SIGN_IN);
    await expect.poll(() => lines(h.clientId)).toEqual(SIGN_IN);
    const steps = await stepsOf(h.clientId);
    expect(steps.every((step) => step.scenarios.includes('issuer-moved'))).toBe(true);
    seen('issuer-moved', 'authorizes-again');
  });

  it('iss-mismatch: redeems the code whatever the iss, and connects', async () => {
    await api.labOn('iss-mismatch', 'global');
    const h = await connected('iss-mismatch');
    expect(h.visits).toHaveLength(1);
    expect(h.visits[0]?.callback?.searchParams.get('iss')).toBe(
      `${e2e.stack.config.auth.issuer}/failure-lab-wrong-issuer`,
    );
    await expect.poll(() => lines(h.clientId)).toEqual(SIGN_IN);
    const token = (await stepsOf(h.clientId)).at(-1) as Step;
    expect(token.sent.grant_type).toBe('authorization_code');
    expect(token.scenarios).toContain('iss-mismatch');
    seen('iss-mismatch', 'proceeds');
  });

  it('token-unavailable: one refresh answered 503 and it stops, no retry after Retry-After', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const h = await connected('token-unavailable');
    const kept = h.provider.saved?.refresh_token;
    await api.labOn('token-unavailable', 'global', { count: 3 });
    await h.accessTokenExpired();
    const message = await failure(() => h.call('mcp_whoami'));
    expect(message).toBe('The token endpoint is unavailable (failure lab: token-unavailable); try again shortly');
    expect(h.provider.saved?.refresh_token).toBe(kept);
    expect(h.visits).toHaveLength(1);
    await expect.poll(() => lines(h.clientId)).toEqual([...SIGN_IN, 'refresh 503 temporarily_unavailable']);
    // One of the three failures spent: it did not come back.
    expect((await api.lab()).find((s) => s.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(seen('token-unavailable', 'stops')).toContain(message);
  });

  it('resource-mismatch: refuses the metadata before registering', async () => {
    await api.labOn('resource-mismatch', 'global');
    const h = host('resource-mismatch');
    const message = await failure(() => h.connect());
    expect(message).toBe(`Protected resource ${mcpUrl}/ does not match expected ${mcpUrl} (or origin)`);
    expect(h.clientId).toBeUndefined();
    expect(h.visits).toHaveLength(0);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(message));
  });

  it('refresh-no-grace: a second session on the same login replays the rotated refresh token; both stop', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const first = await connected('refresh-no-grace');
    await api.labOn('refresh-no-grace', 'workspace');
    // A second session that loaded the same stored login (client and tokens), as a second window does.
    const second = host('refresh-no-grace');
    second.provider.client = { ...first.provider.client } as typeof second.provider.client;
    second.provider.saved = { ...first.provider.saved } as typeof second.provider.saved;
    await first.accessTokenExpired();
    expect((await first.call('mcp_whoami')).isError).toBeFalsy();
    const message = await failure(() => second.connect());
    expect(message).toBe('The refresh token was revoked');
    // The reuse revoked the grant: the first session's next call ends the same way.
    expect(await failure(() => first.call('mcp_whoami'))).toBe(message);
    expect(first.visits).toHaveLength(1);
    expect(second.visits).toHaveLength(0);
    await expect
      .poll(() => lines(first.clientId))
      .toEqual([...SIGN_IN, 'refresh 200', ...Array(4).fill('refresh 400 invalid_grant')]);
    expect(seen('refresh-no-grace', 'stops')).toContain(message);
  });

  it('challenge-without-scope: asks for the resource metadata’s scopes_supported and connects', async () => {
    await api.labOn('challenge-without-scope', 'global');
    const h = await connected('challenge-without-scope');
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl))).json()) as {
      scopes_supported: string[];
    };
    const authorize = (await stepsOf(h.clientId)).find((s) => s.step === 'authorize') as Step;
    expect(authorize.sent.scope).toBe(metadata.scopes_supported.join(' '));
    expect(authorize.scenarios).toContain('challenge-without-scope');
    expect(h.visits).toHaveLength(1);
    await expect.poll(() => lines(h.clientId)).toEqual(SIGN_IN);
    const who = await whoamiScopes(h);
    expect(who).toEqual([...READ_SCOPES].sort());
    expect(metadata.scopes_supported).toHaveLength(11);
    seen('challenge-without-scope', 'unaffected');
  });
});

async function whoamiScopes(h: SdkHost): Promise<string[]> {
  const result = await h.call('mcp_whoami');
  return [...(result.structuredContent as { grantedScopes: string[] }).grantedScopes].sort();
}
