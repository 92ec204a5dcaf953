// Runs the connection doctor in-process against a test stack, signing in as the seeded admin in real
// Chromium, and reads the audit list the console shows.
import { createServer } from 'node:net';
import type { Db } from '@enginy/db/client';
import { SEED_IDS } from '@enginy/db/seed';
import { listAuthEvents } from '@enginy/db/queries/oauth-events';
import type { Report, Step, StepId } from '@enginy/doctor/report';
import { DEFAULT_OPTIONS, type DoctorOptions, runDoctor } from '@enginy/doctor/run';
import type { TestStack } from '@enginy/stack/test-stack';
import { ADMIN } from './stack-fixture.ts';

/**
 * Waits until nothing listens on 127.0.0.1:`port`. Port 3118 is Claude Code's fixed callback port:
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

export async function doctor(stack: TestStack, overrides: Partial<DoctorOptions> = {}): Promise<Report> {
  await waitForFreePort(overrides.callbackPort ?? DEFAULT_OPTIONS.callbackPort);
  return runDoctor({
    ...DEFAULT_OPTIONS,
    mcpUrl: stack.config.openapi.mcpUrl,
    browser: 'playwright',
    login: { ...ADMIN, workspace: 'Acme Outreach' },
    timeoutMs: 60_000,
    say: () => {},
    ...overrides,
  });
}

export const step = (report: Report, id: StepId): Step => report.steps.find((s) => s.id === id) as Step;

/** The newest audit event of the Acme workspace (or of any workspace, for pre-workspace checks). */
export async function lastAuthEvent(db: Db, scope: 'acme' | 'any' = 'acme') {
  const [event] = await listAuthEvents(db, { limit: 1, ...(scope === 'acme' ? { workspaceId: SEED_IDS.acme } : {}) });
  return event;
}

export const setAcmeMcp = (
  db: Db,
  values: Partial<{ enabled: boolean; allowed_redirect_uris: string[]; allowed_client_ids: string[]; policy_scopes: string[]; policy_active: boolean }>,
) => db.updateTable('workspace_mcp_settings').set(values).where('workspace_id', '=', SEED_IDS.acme).execute();
