// What the real Cline CLI does with failure-lab scenarios switched on, driven offline as described in
// packages/config/src/failure-lab-agents/cline.ts, which states the same observations: a version that
// behaves otherwise fails here. One scratch HOME for the whole file, so each case acts on the login the
// ones before it left. The stack's issuer is a loopback proxy in front of the authorization server
// (src/auth-proxy.ts), which lets refresh-no-grace hold one task's refresh until the other's has come.
import { CLINE } from '@enginy/config/failure-lab-agents/cline';
import { shortenToken } from '@enginy/db/queries/failure-lab';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import type { ConsoleClient } from '@enginy/testing/console-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserRecord, browserRecords, cliVersion } from '../src/agent-clis.ts';
import { startAuthProxy } from '../src/auth-proxy.ts';
import { CLINE_REDIRECT_URI, cline, clineCli, clineEnv, clineOAuth, clineScratch } from '../src/cline-cli.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { labStepsSince, REFRESH_REFUSED, REFRESH_REUSED, recordOf, stepLine } from '../src/lab-steps.ts';
import {
  type ModelServer,
  STAND_IN_MODEL,
  startModelServer,
  type ToolToCall,
  toolResults,
} from '../src/model-server.ts';
import { mcpStatus, registrationOf, whoamiFromToolResult } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';
import { ADMIN } from '../src/whoami.ts';

const proxy = await startAuthProxy();
const e2e = useStack({ ...proxy.env });
const s = clineScratch();
const env = clineEnv(s);
const contact = { body: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Analyst' } };
let api: ConsoleClient;
/** The stand-in model Cline's provider points at, told which tool to call before each task. */
let model: ModelServer;
let wizard: TerminalSession | undefined;

const issuer = () => e2e.stack.config.auth.issuer;
const mcpUrl = () => e2e.stack.config.openapi.mcpUrl;

const cli = (...args: string[]) => clineCli(s, ...args);
/** Points Cline's provider at the stand-in model. */
async function useModel() {
  const set = await cli('auth', '-p', 'openai', '-k', 'offline-e2e-key', '-m', STAND_IN_MODEL, '-b', model.url);
  expect(set.output).toContain(`Provider configured: openai-compatible (${STAND_IN_MODEL})`);
}

beforeAll(async () => {
  api = await consoleApi(e2e.stack);
  const { allowedRedirectUris } = await api.settings();
  await api.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, CLINE_REDIRECT_URI] });
  model = await startModelServer();
  const added = await cli('mcp', 'add', '--transport', 'http', '--yes', 'enginy', mcpUrl());
  expect(added.output).toContain('Installed MCP server enginy.');
  await useModel();
});
afterEach(async () => {
  await api.labAllOff();
  await api.saveSettings({ policyScopes: [...READ_SCOPES] });
});
afterAll(async () => {
  await wizard?.close();
  await model?.close();
  s.remove();
  await proxy.close();
});

const stored = () => clineOAuth(s);
/** Ends the access token Cline holds at the server, as its expiry would, before its own clock says so. */
async function endHeldToken() {
  const held = stored().tokens?.access_token ?? '';
  await shortenToken(e2e.db, hashSecret(e2e.stack.config.tokenHashKey, held), new Date());
}

/** How an "Authorize OAuth" ends, as the wizard says it. */
const OUTCOME = /MCP server "enginy" OAuth authorization completed\.|OAuth authorization failed: .*/g;
const outcomes = async (t: TerminalSession) => ((await t.screen()).match(OUTCOME) ?? []).map((line) => line.trimEnd());
/**
 * "Authorize OAuth" (fifth in the menu) → enginy, in the wizard left open or a new one; what the
 * wizard said once it ended, and all of its screen.
 */
async function authorize(keepWizard = false): Promise<{ said: string; screen: string }> {
  await waitForFreePort(1456);
  if (!keepWizard || wizard === undefined) {
    await wizard?.close();
    wizard = await TerminalSession.start([...cline, 'mcp'], { cwd: s.project, env });
  }
  const t = wizard;
  await t.waitFor(/● List servers/, 60_000);
  const before = (await outcomes(t)).length;
  await t.press('Down', 'Down', 'Down', 'Down');
  await t.waitFor(/● Authorize OAuth/);
  await t.type('');
  await t.waitFor(/Select remote server to authorize/);
  await t.type('');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const said = (await outcomes(t))[before];
    if (said !== undefined) return { said, screen: await t.screen() };
    if (Date.now() > deadline) throw new Error(`"Authorize OAuth" never ended:\n${await t.screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const COMPLETED = 'MCP server "enginy" OAuth authorization completed.';

/** One task, as a user runs it: the tools of enginy's it offered the model, and what `tool` answered. */
async function task(prompt: string, { tool, args }: ToolToCall) {
  model.callNext({ tool, args });
  const before = model.requests.length;
  const done = await cli(prompt);
  expect(done.code, done.output.slice(-2000)).toBe(0);
  const requests = model.requests.slice(before);
  const offered = (requests[0]?.body.tools ?? []).map((t) => t.function?.name ?? '');
  return { enginyTools: offered.filter((name) => name.startsWith('enginy__')), results: toolResults(requests, tool) };
}
const whoamiTask = () =>
  task('Call the enginy mcp_whoami tool and report what it says.', { tool: 'mcp_whoami', args: {} });
const contactTask = () => task('Create the contact Ada Lovelace.', { tool: 'create_contact', args: contact });

const linesSince = async (since: number) => (await labStepsSince(api, since)).map(stepLine);
const SIGN_IN = ['register 201', 'authorize 302', 'sign-in 200', 'consent 200', 'token 200'];
const param = (url: string, name: string) => new URL(url).searchParams.get(name);
/** A message as the record quotes it: the dev stack's URLs. */
const asQuoted = (message: string) =>
  message.replaceAll(mcpUrl(), 'http://localhost:3001/mcp').replaceAll(issuer(), 'http://localhost:3002');

const seen = recordOf(CLINE);

describe(`Cline ${cliVersion('cline')} under failure-lab scenarios`, () => {
  it('the record is of the version installed', () => {
    expect(CLINE.version).toBe(cliVersion('cline'));
  });

  it('no-dcr: "Authorize OAuth" fails before any browser, naming the missing registration', async () => {
    await api.labOn('no-dcr', 'global');
    const since = Date.now();
    const { said, screen } = await authorize();
    expect(said).toBe(
      'OAuth authorization failed: Incompatible auth server: does not support dynamic client registration',
    );
    const retry = 'Server "enginy" is still saved. Choose "Authorize OAuth" to retry.';
    expect(screen).toContain(retry);
    expect(browserRecords(s)).toHaveLength(0);
    expect(await linesSince(since)).toEqual([]);
    expect(stored().clientInformation).toBeUndefined();
    const record = seen('no-dcr', 'stops');
    expect(record).toContain(said);
    expect(record).toContain(retry);
  });

  // The file's first sign-in, in the same wizard, with 3 s tokens: the next cases act on its token.
  it('challenge-without-scope: asks for the resource metadata’s scopes_supported and completes', async () => {
    await api.labOn('challenge-without-scope', 'global');
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const since = Date.now();
    const { said } = await authorize(true);
    expect(said).toBe(COMPLETED);
    const browser = await browserRecord(s, 1);
    expect(browser.errorText, browser.pageText).toBeUndefined();
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcpUrl()))).json()) as {
      scopes_supported: string[];
    };
    expect(metadata.scopes_supported).toEqual([...READ_SCOPES].sort());
    expect(param(browser.url, 'scope')).toBe(metadata.scopes_supported.join(' '));
    expect(await linesSince(since)).toEqual(SIGN_IN);
    expect(await registrationOf(e2e.db, stored().clientInformation?.client_id ?? '')).toBe('DCR client_name "Cline"');
    expect(stored().tokens?.expires_in).toBe(3);
    seen('challenge-without-scope', 'unaffected');
    await wizard?.close();
  });

  it('expire-access: its 3 s token ended, the next task refreshes (200) and reaches mcp_whoami', async () => {
    await api.labOn('expire-access', 'workspace', { seconds: 3 });
    const held = stored().tokens?.access_token;
    // Ended now, not left to its 3 s: a task that starts fast would still find it good.
    await endHeldToken();
    const since = Date.now();
    const { results } = await whoamiTask();
    const [result] = results;
    expect(result === undefined ? undefined : whoamiFromToolResult(result).user.email).toBe(ADMIN.email);
    // Each token it gets lives 3 s too: it refreshes once or twice a task, as the task's timing goes.
    const lines = await linesSince(since);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(new Set(lines)).toEqual(new Set(['refresh 200']));
    expect(stored().tokens?.access_token).not.toBe(held);
    expect(browserRecords(s)).toHaveLength(1);
    seen('expire-access', 'recovers');
  });

  it('step-up: no new authorization; it refreshes on the 403, is refused again and fails the call', async () => {
    await api.saveSettings({ policyScopes: [...READ_SCOPES, 'CONTACTS_WRITE'] });
    await api.labOn('step-up', 'workspace');
    const since = Date.now();
    const { results } = await contactTask();
    const said = '{"error":"Streamable HTTP error: Server returned 403 after trying upscoping"}';
    expect(results).toEqual([said]);
    // The first refresh is for the 3 s token expire-access left; the second answers the 403.
    expect(await linesSince(since)).toEqual(['refresh 200', 'refresh 200']);
    expect(browserRecords(s)).toHaveLength(1);
    expect(stored().tokens?.scope.split(' ')).not.toContain('CONTACTS_WRITE');
    expect(seen('step-up', 'stops')).toContain(said);
  });

  it('forget-client: its refresh is refused; it registers again, drops its tokens and runs without enginy', async () => {
    await api.labOn('forget-client', 'global');
    const forgotten = stored().clientInformation?.client_id;
    await endHeldToken();
    const since = Date.now();
    const { enginyTools } = await contactTask();
    expect(enginyTools).toEqual([]);
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client']);
    const after = stored();
    expect(after.tokens).toBeUndefined();
    expect(after.authorizationRequired).toBe(true);
    const registered = after.clientInformation?.client_id ?? '';
    expect(registered).not.toBe(forgotten);
    expect(await registrationOf(e2e.db, registered)).toBe('DCR client_name "Cline"');
    const asks =
      'MCP server "enginy" requires OAuth authorization. Run authorizeMcpServerOAuth for this server and complete this URL: ';
    expect(after.lastError?.startsWith(asks)).toBe(true);
    expect(param(after.lastError?.slice(asks.length) ?? '', 'client_id')).toBe(registered);
    expect(browserRecords(s)).toHaveLength(1);
    expect(seen('forget-client', 'stops')).toContain(`"${asks}…"`);
  });

  // Signs in with the client forget-client left it: no registration.
  it('iss-mismatch: ignores the wrong iss, redeems the code and completes', async () => {
    await api.labOn('iss-mismatch', 'global');
    const client = stored().clientInformation?.client_id;
    const since = Date.now();
    const { said } = await authorize();
    expect(said).toBe(COMPLETED);
    const browser = await browserRecord(s, 2);
    expect(param(browser.url, 'client_id')).toBe(client);
    const wrong = `${issuer()}/failure-lab-wrong-issuer`;
    expect(param(browser.callback ?? '', 'iss')).toBe(wrong);
    expect(await linesSince(since)).toEqual(SIGN_IN.slice(1));
    expect(stored().tokens).toBeDefined();
    const record = seen('iss-mismatch', 'proceeds');
    expect(record).toContain(asQuoted(wrong));
    expect(record).toContain(COMPLETED);
  });

  it('token-unavailable: one refresh answered 503; that task runs without enginy, and it keeps its tokens', async () => {
    await api.labOn('token-unavailable', 'global', { count: 3 });
    const held = stored().tokens;
    await endHeldToken();
    const since = Date.now();
    const { enginyTools } = await contactTask();
    expect(enginyTools).toEqual([]);
    expect(await linesSince(since)).toEqual(['refresh 503 temporarily_unavailable']);
    expect((await api.lab()).find((scenario) => scenario.name === 'token-unavailable')?.state?.remaining).toBe(2);
    expect(stored().tokens).toEqual(held);
    const lastError = stored().lastError ?? '';
    expect(lastError).toBe('The token endpoint is unavailable (failure lab: token-unavailable); try again shortly');
    expect(seen('token-unavailable', 'stops')).toContain(lastError);
  });

  // Two tasks at once on the one stored login, each refreshing after its 401 (its token ended at the
  // server): the proxy holds the first refresh until the second has come, so the second carries the
  // refresh token it read at its start, which the first has just rotated.
  it('refresh-no-grace: two tasks at once refresh with the same token; the grant is revoked and both run without enginy', async () => {
    const client = stored().clientInformation?.client_id;
    const grant = (await api.connections()).find((c) => c.clientId === client)?.grantId;
    expect(grant).toBeDefined();
    await endHeldToken();
    await api.labOn('refresh-no-grace', 'workspace');
    model.callNext({ tool: 'mcp_whoami', args: {} });
    const before = model.requests.length;
    const since = Date.now();
    const overlap = proxy.holdRefreshes(2);
    const tasks = await Promise.all(
      ['one', 'other'].map((which) => cli(`Call the enginy mcp_whoami tool and report what it says (${which} task).`)),
    );
    const { released, held } = await overlap;
    expect(released).toBe('together');
    expect(held.map((refresh) => refresh.status)).toEqual([200, 400]);
    expect(held[1]?.token).toBe(held[0]?.token);
    for (const { code, output } of tasks) expect(code, output.slice(-2000)).toBe(0);
    const offered = model.requests
      .slice(before)
      .flatMap((request) => request.body.tools ?? [])
      .map((tool) => tool.function?.name ?? '');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.filter((name) => name.startsWith('enginy__'))).toEqual([]);

    const steps = await labStepsSince(api, since);
    expect(steps.slice(0, 2).map((step) => [stepLine(step), step.description])).toEqual([
      ['refresh 200', null],
      [REFRESH_REFUSED, REFRESH_REUSED],
    ]);
    // The task answered 200 got tokens the reuse had already revoked: its call is refused (401), and at
    // times it refreshes once more with the token it just got, refused too.
    expect([[], [[REFRESH_REFUSED, 'The refresh token was revoked']]]).toContainEqual(
      steps.slice(2).map((step) => [stepLine(step), step.description]),
    );
    expect((await api.connections()).map((c) => c.grantId)).not.toContain(grant);
    expect(browserRecords(s)).toHaveLength(2);

    // Each task writes the settings file as it finds it then, so the last to write decides what is
    // left: the refused one drops the tokens and asks for authorization; the other keeps the tokens it
    // got, which the server refuses, and its 401.
    const after = stored();
    expect(after.clientInformation?.client_id).toBe(client);
    const asks =
      'MCP server "enginy" requires OAuth authorization. Run authorizeMcpServerOAuth for this server and complete this URL: ';
    const afterAuth = 'Streamable HTTP error: Server returned 401 after successful authentication';
    const lastError = after.lastError ?? '';
    if (lastError.startsWith(asks)) {
      expect(after.authorizationRequired).toBe(true);
      expect(param(lastError.slice(asks.length), 'client_id')).toBe(client);
    } else {
      expect(lastError).toBe(afterAuth);
      expect(after.authorizationRequired).toBeUndefined();
    }
    if (after.tokens !== undefined) expect(await mcpStatus(mcpUrl(), after.tokens.access_token)).toBe(401);
    const record = seen('refresh-no-grace', 'stops');
    for (const said of [REFRESH_REUSED, `"${asks}…"`, afterAuth]) expect(record).toContain(said);

    // "Authorize OAuth" signs in again with the same client, for the cases that follow; where a refused
    // token was left, it tries that token's refresh first.
    await api.labOff('refresh-no-grace');
    const again = Date.now();
    expect((await authorize()).said).toBe(COMPLETED);
    const refused = after.tokens === undefined ? [] : [REFRESH_REFUSED];
    expect(await linesSince(again)).toEqual([...refused, ...SIGN_IN.slice(1)]);
    expect(stored().tokens).toBeDefined();
  });

  // After a revoke, so that "Authorize OAuth" has to sign in.
  it('resource-mismatch: refuses the metadata, before any browser or refresh', async () => {
    const client = stored().clientInformation?.client_id;
    const connection = (await api.connections()).find((c) => c.clientId === client);
    await api.revoke(connection?.grantId ?? '');
    await api.labOn('resource-mismatch', 'global');
    const since = Date.now();
    const { said } = await authorize();
    expect(said).toBe(
      `OAuth authorization failed: Protected resource ${mcpUrl()}/ does not match expected ${mcpUrl()} (or origin)`,
    );
    expect(await linesSince(since)).toEqual([]);
    expect(browserRecords(s)).toHaveLength(3);
    expect(seen('resource-mismatch', 'stops')).toContain(asQuoted(said));
  });

  // Still holding the tokens of the grant resource-mismatch revoked: "Authorize OAuth" has to sign in.
  it('issuer-moved: "Authorize OAuth" finds the /v2 issuer, registers there and signs in there', async () => {
    await api.labOn('issuer-moved', 'global');
    const old = stored().clientInformation?.client_id;
    const since = Date.now();
    const { said } = await authorize();
    expect(said).toBe(COMPLETED);
    const browser = await browserRecord(s, 4);
    const url = new URL(browser.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/v2/authorize`);
    expect(param(browser.callback ?? '', 'iss')).toBe(`${issuer()}/v2`);
    // Its refresh at /v2 with the old issuer's client is refused first.
    expect(await linesSince(since)).toEqual(['refresh 401 invalid_client', ...SIGN_IN]);
    const registered = stored().clientInformation?.client_id;
    expect(registered).not.toBe(old);
    expect(param(browser.url, 'client_id')).toBe(registered);
    expect(stored().tokens).toBeDefined();
    expect(seen('issuer-moved', 'unaffected')).toContain(`${asQuoted(issuer())}/v2/authorize`);
  });
});
