// Runs the connection doctor in-process against a test stack, signing in as the seeded admin in real
// Chromium, and reads the audit list the console shows.
import { createServer } from 'node:net';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { Db } from '@enginy/db/client';
import { SEED_IDS } from '@enginy/db/seed';
import type { Report, Step, StepId } from '@enginy/doctor/report';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { DEFAULT_OPTIONS, type DoctorOptions } from '@enginy/doctor/options';
import { callbackPortOf, runDoctor } from '@enginy/doctor/run';
import type { TestStack } from '@enginy/stack/test-stack';
import type { Browser } from 'playwright-core';
import { ADMIN } from './stack-fixture.ts';

/**
 * Waits until nothing listens on 127.0.0.1:`port`. Port 3118 is the recipes' fixed callback port:
 * other suites on this machine (mcp-remote, SDK flows) bind it too, one run at a time.
 */
export async function waitForFreePort(port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} stayed busy for ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The doctor against the file's stack, in the file's Chromium when it has one (a fresh context per
 * run: a launch per run cost seconds each). `waitForPort: false` when the test itself holds the
 * preset's port (a client that moves on while it is taken).
 */
export async function doctor(
  { stack, browser }: { stack: TestStack; browser?: Browser },
  overrides: Partial<DoctorOptions> = {},
  { waitForPort = true } = {},
): Promise<Report> {
  if (waitForPort) await waitForFreePort(callbackPortOf({ ...DEFAULT_OPTIONS, ...overrides }));
  return runDoctor({
    ...DEFAULT_OPTIONS,
    mcpUrl: stack.config.openapi.mcpUrl,
    browser: 'playwright',
    ...(browser === undefined ? {} : { chromium: browser }),
    login: { ...ADMIN, workspace: 'Acme Outreach' },
    timeoutMs: 60_000,
    say: () => {},
    ...overrides,
  });
}

export const step = (report: Report, id: StepId): Step => report.steps.find((s) => s.id === id) as Step;

export interface ConsoleAttempt {
  outcome: string;
  reason: string;
  message: string;
  client_id: string | null;
  redirect_uri: string | null;
  requested_scopes: string[];
  details: Record<string, unknown>;
}

/** A row as the console API sends it. */
interface ConsoleAttemptRow {
  outcome: string;
  reason: string;
  message: string;
  clientId: string | null;
  redirectUri: string | null;
  requestedScopes: string[];
  details: Record<string, unknown>;
}

const consoleSessions = new WeakMap<TestStack, Promise<string>>();

/** The admin's session cookie, signed in once per stack through the web app's proxy, as a browser would. */
function consoleSession(stack: TestStack): Promise<string> {
  let session = consoleSessions.get(stack);
  if (session === undefined) {
    session = fetch(`${stack.config.web.url}/api/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.config.web.url },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    }).then((response) => {
      if (!response.ok) throw new Error(`sign-in for the console failed: HTTP ${response.status}`);
      return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    });
    consoleSessions.set(stack, session);
  }
  return session;
}

/** The newest entry of Acme's "Authorization attempts" list, read through the console API. */
export async function lastAttempt(stack: TestStack): Promise<ConsoleAttempt> {
  const response = await fetch(
    `${stack.config.web.url}/api/auth/console/workspaces/${SEED_IDS.acme}/attempts?limit=1`,
    {
      headers: { cookie: await consoleSession(stack) },
    },
  );
  if (!response.ok) throw new Error(`the console's attempts list answered HTTP ${response.status}`);
  const [attempt] = ((await response.json()) as { attempts: ConsoleAttemptRow[] }).attempts;
  if (attempt === undefined) throw new Error('the console lists no attempt');
  return {
    outcome: attempt.outcome,
    reason: attempt.reason,
    message: attempt.message,
    client_id: attempt.clientId,
    redirect_uri: attempt.redirectUri,
    requested_scopes: attempt.requestedScopes,
    details: attempt.details,
  };
}

type McpSettings = Partial<{
  enabled: boolean;
  allowed_redirect_uris: string[];
  allowed_client_ids: string[];
  policy_scopes: string[];
  policy_active: boolean;
}>;

export const setWorkspaceMcp = (db: Db, workspaceId: string, values: McpSettings) =>
  db.updateTable('workspace_mcp_settings').set(values).where('workspace_id', '=', workspaceId).execute();

export const setAcmeMcp = (db: Db, values: McpSettings) => setWorkspaceMcp(db, SEED_IDS.acme, values);

/** Acme's MCP settings row as saved now. */
export const acmeMcpSettings = (db: Db) =>
  db
    .selectFrom('workspace_mcp_settings')
    .selectAll()
    .where('workspace_id', '=', SEED_IDS.acme)
    .executeTakeFirstOrThrow();

/** Acme's MCP settings as seeded: on, the Claude Code callback only, any client, the READ scopes, active. */
export const resetAcmeMcp = (db: Db) =>
  setAcmeMcp(db, {
    enabled: true,
    allowed_redirect_uris: [CLAUDE_CODE_REDIRECT_URI],
    allowed_client_ids: [],
    policy_scopes: [...READ_SCOPES],
    policy_active: true,
  });
