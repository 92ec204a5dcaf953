// The real GitHub Copilot CLI (1.0.102) against the seeded demo, offline (COPILOT_OFFLINE with a
// stand-in OpenAI-compatible model on loopback). `copilot mcp add` adds the server. In `-p` mode it
// never starts OAuth: the server is reported as needing auth ("Browser-based OAuth required") and
// the model gets none of its tools. From the interactive UI, driven in a terminal, `/mcp auth enginy`
// opens the browser (some starts open it unasked): Copilot names itself by its metadata document (https://github.com/copilot/cli/
// client-metadata.json, unreachable offline, so only the development fallback lets it in) and sends
// http://127.0.0.1:<random>/callback, refused by name. The recipe needs both steps: `"auth":
// {"redirectPort": 3118}` in the server's entry, and http://127.0.0.1:3118/callback in the allowlist;
// then a prompt in the UI reaches mcp_whoami. Then, in that same open UI, what Copilot really does
// after a console revoke (its next tool call tries the refresh token, which is refused; it opens the
// browser by itself, and the call completes on a new grant) and once its access token has expired
// (its first prompt after expiry refreshes silently: one refresh, no browser, the same grant).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOpens, browserRecord, browserRecords, cliCommand, run, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { COPILOT_CLIENT_ID, COPILOT_RECIPE_REDIRECT_URI, copilotEnv } from '../src/copilot-cli.ts';
import { type ModelServer, startModelServer, whoamiResults } from '../src/model-server.ts';
import {
  clientSteps,
  type FullWhoami,
  freeCallbackPort,
  mcpStatus,
  registrationOf,
  reportClient,
  whoamiFromToolResult,
} from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';
import { TerminalSession } from '../src/tmux.ts';
import { ADMIN } from '../src/whoami.ts';

/** The failure lab's access-token lifetime for the authorization Copilot makes after the revoke. */
const SHORT_TOKEN_SECONDS = 10;
const WHOAMI_PROMPT = 'Call the enginy mcp_whoami tool.';
const e2e = useStack();
const copilot = cliCommand('copilot');
const s = scratch('copilot');
let model: ModelServer;
let terminal: TerminalSession | undefined;
let env: Record<string, string>;
beforeAll(async () => {
  model = await startModelServer();
  env = copilotEnv(s, model.url);
});
afterAll(async () => {
  await terminal?.close();
  await model?.close();
  s.remove();
});

const configFile = () => join(s.home, '.copilot', 'mcp-config.json');

/** Copilot's own log lines so far (~/.copilot/logs). */
function logs(): string {
  const dir = join(s.home, '.copilot', 'logs');
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

/** Closes the dialog `/mcp auth` leaves open (Esc, until the session's own footer is back). */
async function closeDialogs(t: TerminalSession): Promise<void> {
  const footer = async () => (await t.screen()).trimEnd().split('\n').slice(-3).join('\n');
  for (let attempt = 1; !(await footer()).includes('Interactive'); attempt++) {
    if (attempt > 5) throw new Error(`A dialog stayed open:\n${await footer()}`);
    await t.press('Escape');
    await t.waitFor(/Interactive ·/, 2_000).catch(() => undefined);
  }
}

/** The interactive UI in the project folder, trusted for this session. */
async function startUi(): Promise<TerminalSession> {
  await terminal?.close();
  terminal = await TerminalSession.start([...copilot, '--allow-all-tools'], { cwd: s.project, env });
  await terminal.waitFor(/Do you trust the files in this folder\?/, 90_000);
  await terminal.pressUntil('Enter', /MCP Servers reloaded|requires authentication|Waiting for authorization/, 30_000);
  return terminal;
}

interface StoredToken {
  accessToken: string;
  refreshToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Copilot's token for enginy: `<key>.tokens.json` beside the `<key>.json` that names the server's URL. */
function storedToken(): StoredToken {
  const dir = join(s.home, '.copilot', 'mcp-oauth-config');
  const { mcpUrl } = e2e.stack.config.openapi;
  const config = readdirSync(dir).find(
    (name) =>
      name.endsWith('.json') &&
      !name.endsWith('.tokens.json') &&
      (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { serverUrl?: string }).serverUrl === mcpUrl,
  );
  if (config === undefined) throw new Error(`Copilot keeps no OAuth config for ${mcpUrl}`);
  return JSON.parse(readFileSync(join(dir, config.replace(/\.json$/, '.tokens.json')), 'utf8')) as StoredToken;
}

const refreshAndTokenSteps = async () =>
  (await clientSteps(e2e.stack, 'copilot', COPILOT_CLIENT_ID)).filter(
    (step) => step.step === 'refresh' || step.step === 'token',
  );

/** Waits until the session's footer is back (no longer "Working"): the UI takes the next prompt. */
async function idle(t: TerminalSession): Promise<void> {
  const footer = async () => (await t.screen()).trimEnd().split('\n').slice(-3).join('\n');
  const deadline = Date.now() + 30_000;
  while (!(await footer()).includes('Interactive ·')) {
    if (Date.now() > deadline) throw new Error(`The UI stayed busy:\n${await footer()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A prompt in the open UI, in the same conversation (the stand-in calls the tool anew for each ask).
 * Returns the whoami answer Copilot passed the stand-in, and what the UI printed from the prompt on.
 */
async function askWhoami(t: TerminalSession): Promise<{ who: FullWhoami; printed: string }> {
  await idle(t);
  const before = model.requests.length;
  await t.type(WHOAMI_PROMPT);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [result] = whoamiResults(model.requests.slice(before));
    if (result !== undefined) {
      await idle(t);
      const screen = await t.screen();
      return { who: whoamiFromToolResult(result), printed: screen.slice(screen.lastIndexOf(`❯ ${WHOAMI_PROMPT}`)) };
    }
    if (Date.now() > deadline) throw new Error(`No mcp_whoami result reached the model:\n${await t.screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * `/mcp auth enginy`; the `n`th browser run. Copilot may already have opened the browser by itself
 * at start (seen on some starts, not all), and that browser run is the one waited for: still going,
 * Copilot answers `/mcp auth` that the authorization is in progress; already done, `/mcp auth` would
 * authorize a second time, so it is not typed.
 */
async function mcpAuth(t: TerminalSession, n: number) {
  if (browserOpens(s) < n) {
    await t.type('/mcp auth enginy');
    await t.waitFor(/Waiting for authorization in browser|A browser authorization is already in progress/, 30_000);
  }
  return browserRecord(s, n, 90_000);
}

describe('GitHub Copilot CLI (copilot mcp add, then the interactive UI)', () => {
  it('refuses OAuth in -p mode: the server needs auth, no browser opens, the model gets none of its tools', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const added = await run([...copilot, 'mcp', 'add', '--transport', 'http', 'enginy', mcpUrl], {
      cwd: s.project,
      env,
      timeoutMs: 120_000,
    });
    expect(added.output).toContain(`URL: ${mcpUrl}`);
    const before = model.requests.length;
    const prompt = await run([...copilot, '-p', 'Call the enginy mcp_whoami tool.', '--allow-all-tools'], {
      cwd: s.project,
      env,
      timeoutMs: 120_000,
    });
    expect(prompt.output).toContain('No mcp_whoami tool was offered');
    const offered = (model.requests[before]?.body.tools ?? []).map((tool) => tool.function?.name ?? '');
    expect(offered.filter((name) => name.includes('enginy') || name.includes('mcp_whoami'))).toEqual([]);
    expect(logs()).toContain(`"error":"Browser-based OAuth required for ${mcpUrl}"`);
    expect(browserRecords(s)).toEqual([]);
  });

  it('authorizes from its UI with a random 127.0.0.1 port, which the demo refuses by name', async () => {
    const t = await startUi();
    const refused = await mcpAuth(t, 1);
    const sent = new URL(refused.url).searchParams;
    const redirect = new URL(sent.get('redirect_uri') ?? '');
    expect(sent.get('client_id')).toBe(COPILOT_CLIENT_ID);
    expect([redirect.hostname, redirect.pathname]).toEqual(['127.0.0.1', '/callback']);
    expect(redirect.port).not.toBe('3118');
    expect(refused.errorText).toBe('redirect_uri is not allowed');
    expect(refused.pageText).toContain(`Redirect URI sent by the application\n${redirect.href}`);
    expect(sent.get('scope')?.split(' ').sort()).toEqual([...READ_SCOPES].sort());
    expect(sent.get('resource')).toBe(e2e.stack.config.openapi.mcpUrl);
    // Its metadata document is out of reach offline: the development fallback named it by its host.
    expect(await registrationOf(e2e.db, COPILOT_CLIENT_ID)).toBe(`CIMD ${COPILOT_CLIENT_ID} (unverified metadata)`);
    await t.close();
  });

  it('connects with "auth": {"redirectPort": 3118} in its entry and that URI allowlisted, and a prompt reaches mcp_whoami', async () => {
    const config = JSON.parse(readFileSync(configFile(), 'utf8')) as {
      mcpServers: Record<string, Record<string, unknown>>;
    };
    (config.mcpServers.enginy as Record<string, unknown>).auth = { redirectPort: 3118 };
    writeFileSync(configFile(), JSON.stringify(config, null, 2));
    const admin = await consoleApi(e2e.stack);
    const { allowedRedirectUris } = await admin.settings();
    await admin.saveSettings({ allowedRedirectUris: [...allowedRedirectUris, COPILOT_RECIPE_REDIRECT_URI] });

    await freeCallbackPort();
    const started = Date.now();
    const t = await startUi();
    const login = await mcpAuth(t, 2);
    expect(login.errorText, login.pageText).toBeUndefined();
    expect(new URL(login.url).searchParams.get('redirect_uri')).toBe(COPILOT_RECIPE_REDIRECT_URI);

    await closeDialogs(t);
    const { who, printed } = await askWhoami(t);
    await reportClient(e2e.db, {
      cli: 'copilot',
      authorizeUrl: login.url,
      result: 'mcp_whoami answered (redirectPort 3118 + allowlisted)',
      secondsToConnected: (Date.now() - started) / 1000,
    });
    expect(printed).toContain('mcp_whoami answered');
    expect(who?.user.email).toBe(ADMIN.email);
    expect(who?.workspace.name).toBe('Acme Outreach');
    expect(who?.client.name).toBe('github.com');
    expect([...(who?.grantedScopes ?? [])].sort()).toEqual([...READ_SCOPES].sort());
    expect(who?.checks).toHaveLength(4);
    expect(who?.checks.filter((check) => !check.ok)).toEqual([]);
    await clientSteps(e2e.stack, 'copilot', COPILOT_CLIENT_ID);
  });

  it('after a revoke in the console: its next tool call tries the refresh token (invalid_grant), opens the browser by itself, and completes on a new grant', async () => {
    const admin = await consoleApi(e2e.stack);
    const [revoked] = await admin.connections();
    expect(revoked?.clientId).toBe(COPILOT_CLIENT_ID);
    const held = storedToken();
    // By its own clock the token it holds is good for the hour.
    expect(held.expiresAt * 1000).toBeGreaterThan(Date.now() + 60_000);
    await admin.revoke(revoked?.grantId ?? '');
    expect(await mcpStatus(e2e.stack.config.openapi.mcpUrl, held.accessToken)).toBe(401);
    const stepsBefore = (await refreshAndTokenSteps()).length;
    await freeCallbackPort();
    // The authorization it makes by itself gets a short token (failure lab expire-access), which the
    // next test waits out: no other sign-in needed for it.
    await admin.labOn('expire-access', 'workspace', { seconds: SHORT_TOKEN_SECONDS });
    try {
      const { who, printed } = await askWhoami(terminal as TerminalSession);
      expect(printed).toContain('mcp_whoami answered');
      // Every check passes but the one that says the lab is on.
      expect(who.checks.filter((check) => !check.ok).map((check) => [check.check, check.detail])).toEqual([
        ['No failure-lab scenario is switched on', 'In force: expire-access. Switch them off with: pnpm lab off --all'],
      ]);
      const steps = (await refreshAndTokenSteps()).slice(stepsBefore);
      expect(steps.map((step) => [step.step, step.status, step.error])).toEqual([
        ['refresh', 400, 'invalid_grant'],
        ['token', 200, null],
      ]);
      const records = browserRecords(s);
      expect(records).toHaveLength(3);
      const login = records[2];
      expect(login?.errorText, login?.pageText).toBeUndefined();
      const sent = new URL(login?.url ?? '').searchParams;
      expect([sent.get('client_id'), sent.get('redirect_uri')]).toEqual([
        COPILOT_CLIENT_ID,
        COPILOT_RECIPE_REDIRECT_URI,
      ]);
      const [now] = await admin.connections();
      expect(now?.grantId).not.toBe(revoked?.grantId);
      expect(who.checks.find((check) => check.check === 'OAuth completed successfully')?.detail).toContain(
        now?.grantId ?? '',
      );
      expect(storedToken().accessToken).not.toBe(held.accessToken);
    } finally {
      await admin.labAllOff();
    }
  });

  it('refreshes silently on its first prompt after expiry: one refresh, no browser, the same grant', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const admin = await consoleApi(e2e.stack);
    const grants = (await admin.connections()).map((connection) => connection.grantId);
    expect(grants).toHaveLength(1);
    const held = storedToken();
    expect(held.expiresAt * 1000 - Date.now()).toBeLessThanOrEqual(SHORT_TOKEN_SECONDS * 1000);
    const stepsBefore = (await refreshAndTokenSteps()).length;
    // Until it has expired by both clocks: the one Copilot stored, and the server's (401).
    const deadline = Date.now() + (SHORT_TOKEN_SECONDS + 10) * 1000;
    while (Date.now() <= held.expiresAt * 1000 || (await mcpStatus(mcpUrl, held.accessToken)) !== 401) {
      if (Date.now() > deadline) throw new Error('The token Copilot holds never expired');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const { who, printed } = await askWhoami(terminal as TerminalSession);
    expect(who.checks.filter((check) => !check.ok)).toEqual([]);
    // Silently: the UI shows the tool call and its answer, nothing about authentication.
    expect(printed).toContain('mcp_whoami answered');
    expect(printed).not.toMatch(/authenticat/i);
    const steps = (await refreshAndTokenSteps()).slice(stepsBefore);
    expect(steps.map((step) => [step.step, step.status, step.sent.grant_type])).toEqual([
      ['refresh', 200, 'refresh_token'],
    ]);
    const refreshed = storedToken();
    expect(refreshed.accessToken).not.toBe(held.accessToken);
    expect(refreshed.refreshToken).not.toBe(held.refreshToken);
    expect(browserRecords(s)).toHaveLength(3);
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grants);
  });
});
