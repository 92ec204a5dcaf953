// The real Qwen Code CLI (0.24.4) against the seeded demo, with a stand-in OpenAI-compatible model on
// loopback. `qwen mcp add` adds the server; OAuth starts only from its interactive UI (`/mcp` →
// enginy → Authenticate), driven in a terminal. Qwen registers "Qwen Code MCP Client" dynamically and
// sends http://localhost:7777/oauth/callback, which the demo does not allowlist: refused by name, then
// the admin adds it and the next Authenticate connects. A one-shot prompt (`qwen "<prompt>"`) then has
// the model call enginy's mcp_whoami through Qwen. Then what Qwen really does with a token the server
// ended early (a console revoke): it never refreshes, since its own stored expiry has not passed, and
// starts without enginy; and, re-authenticated with a short-lived token (failure lab expire-access),
// it refreshes once the expiry it stored has passed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRecord, browserRecords, cliCommand, run, scratch } from '../src/agent-clis.ts';
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
import { READ_SCOPES } from '@enginy/policy/scopes';

const QWEN_REDIRECT_URI = 'http://localhost:7777/oauth/callback';
const e2e = useStack();
const qwen = cliCommand('qwen');
const s = scratch('qwen');
let model: ModelServer;
let terminal: TerminalSession | undefined;
let env: Record<string, string>;
beforeAll(async () => {
  model = await startModelServer();
  // The OpenAI-compatible method, pointed at the stand-in (`--auth-type openai` chooses it).
  env = { ...s.env, OPENAI_API_KEY: 'offline-e2e-key', OPENAI_BASE_URL: model.url, OPENAI_MODEL: STAND_IN_MODEL };
});
afterAll(async () => {
  await terminal?.close();
  await model?.close();
  s.remove();
});

/** The interactive UI, started once and kept for the file's tests. */
async function ui(): Promise<TerminalSession> {
  if (terminal !== undefined) return terminal;
  terminal = await TerminalSession.start([...qwen, '--auth-type', 'openai'], { cwd: s.project, env });
  await terminal.waitFor(/Type your message/, 90_000);
  return terminal;
}

const tail = (screen: string) => screen.trimEnd().split('\n').slice(-8).join('\n');

/** Closes whatever dialog is open (Esc, until the message input is back). */
async function closeDialogs(t: TerminalSession): Promise<void> {
  for (let attempt = 1; !tail(await t.screen()).includes('Type your message'); attempt++) {
    if (attempt > 6) throw new Error(`A dialog stayed open:\n${tail(await t.screen())}`);
    await t.press('Escape');
    await t.waitFor(/Type your message/, 2_000).catch(() => undefined);
  }
}

/** `/mcp` → enginy: the server's page of the MCP dialog; returns its screen. */
async function serverPage(t: TerminalSession): Promise<string> {
  await closeDialogs(t);
  for (let attempt = 1; ; attempt++) {
    // The input is empty while it shows its placeholder (an earlier `> /mcp` stays in the scrollback).
    if (tail(await t.screen()).includes('Type your message')) await t.type('/mcp', false);
    await t.type('');
    try {
      await t.waitFor(/Manage MCP servers/, 15_000);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  return t.pressUntil('Enter', /› (Reconnect|View tools)/);
}

/** Authenticate (third on the server's page); returns the `n`th browser run. */
async function authenticate(t: TerminalSession, n: number) {
  // After a refused attempt, Qwen's own listener still holds the port (Esc does not close it).
  if (n === 1) await waitForFreePort(7777);
  await t.pressUntil('Down', /› Disable/);
  await t.pressUntil('Down', /› Authenticate/);
  await t.pressUntil('Enter', /Authenticating\.\.\. Please complete the login in your browser\./);
  return browserRecord(s, n);
}

interface StoredToken {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

/** Qwen's token for enginy, from ~/.qwen/mcp-oauth-tokens.json. */
function storedToken(): StoredToken {
  const entries = JSON.parse(readFileSync(join(s.home, '.qwen', 'mcp-oauth-tokens.json'), 'utf8')) as {
    serverName: string;
    token: StoredToken;
  }[];
  const entry = entries.find((candidate) => candidate.serverName === 'enginy');
  if (entry === undefined) throw new Error('Qwen stored no token for enginy');
  return entry.token;
}

const refreshSteps = async (clientId: string) =>
  (await clientSteps(e2e.stack, 'qwen', clientId)).filter((step) => step.step === 'refresh');

/** One one-shot prompt; the whoami answer the model got back from Qwen's tool call, if any. */
async function whoamiPrompt(): Promise<{ output: string; who?: FullWhoami; toolsOffered: string[] }> {
  const before = model.requests.length;
  const prompt = await run(
    [...qwen, '--auth-type', 'openai', '--yolo', 'Call the enginy mcp_whoami tool and report what it says.'],
    { cwd: s.project, env, timeoutMs: 120_000 },
  );
  const requests = model.requests.slice(before);
  const toolsOffered = (requests[0]?.body.tools ?? []).map((tool) => tool.function?.name ?? '');
  const [result] = whoamiResults(requests);
  const who = result === undefined ? undefined : whoamiFromToolResult(result);
  return { output: prompt.output, toolsOffered, ...(who ? { who } : {}) };
}

describe('Qwen Code (qwen mcp add, then /mcp → enginy → Authenticate)', () => {
  it('is refused with the URI to allowlist, then connects once the admin adds it, and a prompt reaches mcp_whoami', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const added = await run([...qwen, 'mcp', 'add', '--transport', 'http', 'enginy', mcpUrl], { cwd: s.project, env });
    expect(added.output).toContain('MCP server "enginy" added to user settings. (http)');
    const t = await ui();
    expect(await serverPage(t)).toMatch(/Status:\s+✗ needs authentication/);
    const refused = await authenticate(t, 1);
    expect(refused.errorText).toBe('redirect_uri is not allowed');
    expect(refused.pageText).toContain(`Redirect URI sent by the application\n${QWEN_REDIRECT_URI}`);
    const sent = new URL(refused.url).searchParams;
    expect(sent.get('redirect_uri')).toBe(QWEN_REDIRECT_URI);
    expect(sent.get('resource')).toBe(mcpUrl);
    expect(sent.get('scope')?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
    expect(await registrationOf(e2e.db, sent.get('client_id') ?? '')).toBe('DCR client_name "Qwen Code MCP Client"');

    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, QWEN_REDIRECT_URI] });
    await t.press('Escape');
    await t.waitFor(/› Reconnect/);
    const started = Date.now();
    const login = await authenticate(t, 2);
    const connected = await t.waitFor(/Status:\s+✓ connected/);
    await reportClient(e2e.db, {
      cli: 'qwen',
      authorizeUrl: login.url,
      result: 'connected (after allowlisting its redirect URI)',
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(login.errorText, login.pageText).toBeUndefined();
    expect(connected).toMatch(/Tools:\s+\d+ tools/);
    // The same registration as the refused attempt.
    expect(new URL(login.url).searchParams.get('client_id')).toBe(sent.get('client_id'));

    const { who, toolsOffered } = await whoamiPrompt();
    // Qwen defers MCP tools: the model finds mcp__enginy__mcp_whoami with tool_search and calls it through tool_call.
    expect(toolsOffered).toEqual(expect.arrayContaining(['tool_search', 'tool_call']));
    expect(toolsOffered.filter((name) => name.includes('enginy'))).toEqual([]);
    expect(who?.user.email).toBe(ADMIN.email);
    expect(who?.workspace.name).toBe('Acme Outreach');
    expect(who?.client.name).toBe('Qwen Code MCP Client');
    expect([...(who?.grantedScopes ?? [])].sort()).toEqual([...READ_SCOPES].sort());
    expect(who?.checks).toHaveLength(4);
    expect(who?.checks.filter((check) => !check.ok)).toEqual([]);
    await clientSteps(e2e.stack, 'qwen', sent.get('client_id') ?? '');
    expect(browserRecords(s)).toHaveLength(2);
  });

  it('after a console revoke, with its own stored expiry not passed: no refresh; a new prompt starts without enginy, while the open UI still says connected', async () => {
    const admin = await consoleApi(e2e.stack);
    const [connection] = await admin.connections();
    const before = storedToken();
    expect(before.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    await admin.revoke(connection?.grantId ?? '');

    const { who, output } = await whoamiPrompt();
    expect(who).toBeUndefined();
    expect(output).toContain('Warning: MCP server(s) failed to start: enginy.');
    // Its stored expiry says the token is good: it never tries the refresh token, and keeps the token.
    expect(await refreshSteps(connection?.clientId ?? '')).toEqual([]);
    expect(storedToken().accessToken).toBe(before.accessToken);
    // The UI that was open through the revoke has not noticed.
    expect(await serverPage(await ui())).toMatch(/Status:\s+✓ connected/);
  });

  it('re-authenticates from its UI, and refreshes once the expiry it stored has passed', async () => {
    // A 5 s token (failure lab expire-access) for the UI's connection, so that waiting out its expiry
    // takes seconds. The lab goes off before the prompt: the token Qwen refreshes to then lives the
    // stack's usual hour, long enough for the whole prompt (Qwen sends the token it got at start).
    await switchLabOn(e2e.db, {
      scenario: 'expire-access',
      workspaceId: SEED_IDS.acme,
      options: { seconds: 5 },
      remaining: null,
      by: 'e2e',
    });
    try {
      const t = await ui();
      await serverPage(t);
      await t.pressUntil('Down', /› Disable/);
      await t.pressUntil('Down', /› (Authenticate|Re-authenticate)/);
      await t.pressUntil('Enter', /Authenticating\.\.\. Please complete the login in your browser\./);
      const login = await browserRecord(s, 3);
      expect(login.errorText, login.pageText).toBeUndefined();
      await t.waitFor(/Status:\s+✓ connected/);
      const issued = storedToken();
      expect(issued.expiresAt - Date.now()).toBeLessThanOrEqual(5_000);
      await switchAllLabOff(e2e.db);
      const clientId = new URL(login.url).searchParams.get('client_id') ?? '';
      const refreshesBefore = (await refreshSteps(clientId)).length;
      // Its own clock: wait until the expiry it stored has passed.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, issued.expiresAt - Date.now()) + 1_000));
      expect(await mcpStatus(e2e.stack.config.openapi.mcpUrl, issued.accessToken)).toBe(401);
      const { who } = await whoamiPrompt();
      expect(who?.checks.filter((check) => !check.ok)).toEqual([]);
      const refreshes = await refreshSteps(clientId);
      expect(refreshes.slice(refreshesBefore).map((step) => step.status)).toEqual([200]);
      expect(storedToken().accessToken).not.toBe(issued.accessToken);
    } finally {
      await switchAllLabOff(e2e.db);
    }
  });
});
