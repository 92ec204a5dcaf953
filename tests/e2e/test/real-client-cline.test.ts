import { shortenToken } from '@enginy/db/queries/failure-lab';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { hashSecret } from '@enginy/security/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRecord, browserRecords } from '../src/agent-clis.ts';
import { CLINE_REDIRECT_URI, cline, clineCli, clineEnv, clineOAuth, clineScratch } from '../src/cline-cli.ts';
import { consoleApi } from '../src/console-api.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { type ModelServer, STAND_IN_MODEL, startModelServer, whoamiResults } from '../src/model-server.ts';
import {
  clientSteps,
  type FullWhoami,
  mcpStatus,
  registrationOf,
  reportClient,
  whoamiFromToolResult,
} from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';
import { ADMIN } from '../src/whoami.ts';

const e2e = useStack();
const s = clineScratch();
const env = clineEnv(s);
let model: ModelServer;
let terminal: TerminalSession | undefined;
beforeAll(async () => {
  model = await startModelServer();
});
afterAll(async () => {
  await terminal?.close();
  await model?.close();
  s.remove();
});

const cli = (...args: string[]) => clineCli(s, ...args);
const storedOAuth = () => clineOAuth(s);

/** Opens the `cline mcp` wizard at its first menu. */
async function wizard(): Promise<TerminalSession> {
  await terminal?.close();
  terminal = await TerminalSession.start([...cline, 'mcp'], { cwd: s.project, env });
  await terminal.waitFor(/What would you like to do\?/, 60_000);
  return terminal;
}

/** "Authorize OAuth" (fifth in the menu) → enginy; returns the `n`th browser run. */
async function authorize(n: number) {
  await waitForFreePort(1456);
  const t = await wizard();
  await t.press('Down', 'Down', 'Down', 'Down');
  await t.waitFor(/● Authorize OAuth/);
  await t.type('');
  await t.waitFor(/Select remote server to authorize/);
  await t.type('');
  const screen = await t.waitFor(/Waiting for OAuth callback at \S+/);
  return { record: await browserRecord(s, n), waitingAt: screen.match(/Waiting for OAuth callback at (\S+)/)?.[1] };
}

/** "List servers": enginy's lines in the wizard. */
async function listed(): Promise<string> {
  const t = await wizard();
  await t.type('');
  const screen = await t.waitFor(/Settings file:/);
  return screen.slice(screen.indexOf('●  enginy'), screen.indexOf('Settings file:'));
}

/** One task, as a user runs it; the whoami answer the model got back from Cline's tool call, if any. */
async function whoamiTask(): Promise<{ output: string; who?: FullWhoami; toolsOffered: string[] }> {
  const before = model.requests.length;
  const task = await cli('Call the enginy mcp_whoami tool and report what it says.');
  expect(task.code, task.output.slice(-2000)).toBe(0);
  const requests = model.requests.slice(before);
  const toolsOffered = (requests[0]?.body.tools ?? []).map((tool) => tool.function?.name ?? '');
  const [result] = whoamiResults(requests);
  const who = result === undefined ? undefined : whoamiFromToolResult(result);
  return { output: task.output, toolsOffered, ...(who ? { who } : {}) };
}

describe('Cline (cline mcp add, then cline mcp → Authorize OAuth)', () => {
  it('is refused with the URI to allowlist, then authorizes once the admin adds it, and a task reaches mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const added = await cli('mcp', 'add', '--transport', 'http', '--yes', 'enginy', mcpUrl);
    expect(added.output).toContain('Installed MCP server enginy.');
    const provider = await cli('auth', '-p', 'openai', '-k', 'offline-e2e-key', '-m', STAND_IN_MODEL, '-b', model.url);
    expect(provider.output).toContain(`Provider configured: openai-compatible (${STAND_IN_MODEL})`);

    const refused = await authorize(1);
    expect(refused.waitingAt).toBe(CLINE_REDIRECT_URI);
    expect(refused.record.errorText).toBe('redirect_uri is not allowed');
    expect(refused.record.pageText).toContain(`Redirect URI sent by the application\n${CLINE_REDIRECT_URI}`);
    const sent = new URL(refused.record.url).searchParams;
    expect(sent.get('redirect_uri')).toBe(CLINE_REDIRECT_URI);
    expect(sent.get('resource')).toBe(mcpUrl);
    expect(sent.get('scope')?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
    expect(await registrationOf(e2e.db, sent.get('client_id') ?? '')).toBe('DCR client_name "Cline"');
    await terminal?.close();

    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, CLINE_REDIRECT_URI] });
    const started = Date.now();
    const login = await authorize(2);
    await terminal?.waitFor(/MCP server "enginy" OAuth authorization completed\./);
    const state = await listed();
    await reportClient(e2e.db, {
      cli: 'cline',
      authorizeUrl: login.record.url,
      result: state.includes('auth: oauth authorized')
        ? 'oauth authorized (after allowlisting its redirect URI)'
        : state,
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(login.record.errorText, login.record.pageText).toBeUndefined();
    // The same registration as the refused attempt: Cline keeps it in its settings file.
    expect(new URL(login.record.url).searchParams.get('client_id')).toBe(sent.get('client_id'));
    expect(state).toContain('auth: oauth authorized');
    await terminal?.close();

    const { who, toolsOffered } = await whoamiTask();
    expect(toolsOffered).toContain('enginy__mcp_whoami');
    expect(who?.user.email).toBe(ADMIN.email);
    expect(who?.workspace.name).toBe('Acme Outreach');
    expect(who?.client.name).toBe('Cline');
    expect([...(who?.grantedScopes ?? [])].sort()).toEqual([...READ_SCOPES].sort());
    expect(who?.checks).toHaveLength(4);
    expect(who?.checks.filter((check) => !check.ok)).toEqual([]);
    await clientSteps(e2e.stack, 'cline', sent.get('client_id') ?? '');
  });

  it('refreshes after the 401 when its access token ends at the server before its own clock says so', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const admin = await consoleApi(e2e.stack);
    const grants = (await admin.connections()).map((connection) => connection.grantId);
    expect(grants).toHaveLength(1);
    const before = storedOAuth();
    const clientId = before.clientInformation?.client_id ?? '';
    // Cline stored expires_in (an hour) and when it authenticated: by its clock the token is good.
    await shortenToken(
      e2e.db,
      hashSecret(e2e.stack.config.tokenHashKey, before.tokens?.access_token ?? ''),
      new Date(),
    );
    expect(await mcpStatus(mcpUrl, before.tokens?.access_token ?? '')).toBe(401);
    const refreshesBefore = (await clientSteps(e2e.stack, 'cline', clientId)).filter((step) => step.step === 'refresh');

    const { who } = await whoamiTask();
    expect(who?.checks.every((check) => check.ok)).toBe(true);
    const after = storedOAuth();
    expect(after.tokens?.access_token).not.toBe(before.tokens?.access_token);
    expect(after.tokens?.refresh_token).not.toBe(before.tokens?.refresh_token);
    const refreshes = (await clientSteps(e2e.stack, 'cline', clientId)).filter((step) => step.step === 'refresh');
    expect(refreshes.slice(refreshesBefore.length).map((step) => step.status)).toEqual([200]);
    expect(browserRecords(s)).toHaveLength(2);
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grants);
  });

  it('after a revoke in the console: its refresh is refused, the task runs without enginy, and the wizard shows "auth: oauth error"', async () => {
    const admin = await consoleApi(e2e.stack);
    const [connection] = await admin.connections();
    const clientId = storedOAuth().clientInformation?.client_id ?? '';
    expect(connection?.clientId).toBe(clientId);
    await admin.revoke(connection?.grantId ?? '');

    const { who, toolsOffered, output } = await whoamiTask();
    // Nothing on the task's output says so: the model is simply offered none of enginy's tools.
    expect(who).toBeUndefined();
    expect(toolsOffered.filter((name) => name.startsWith('enginy__'))).toEqual([]);
    expect(output).toContain('No mcp_whoami tool was offered');
    const last = (await clientSteps(e2e.stack, 'cline', clientId)).at(-1);
    expect([last?.step, last?.status, last?.error]).toEqual(['refresh', 400, 'invalid_grant']);
    const stored = storedOAuth();
    expect(stored.tokens).toBeUndefined();
    expect(stored.authorizationRequired).toBe(true);
    expect(stored.lastError).toContain('MCP server "enginy" requires OAuth authorization.');
    expect(browserRecords(s)).toHaveLength(2);

    const state = await listed();
    expect(state).toContain('auth: oauth error');
    expect(state).toContain('last OAuth error: MCP server "enginy" requires OAuth authorization.');
  });
});
