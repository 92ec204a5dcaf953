// Runs the connection doctor in-process against a test stack, signing in as the seeded admin in real
// Chromium, and reads the audit list the console shows.
import { SEED_IDS } from '@enginy/db/seed';
import type { Db } from '@enginy/db/client';
import { listAuthEvents } from '@enginy/db/queries/oauth-events';
import type { Report, Step, StepId } from '@enginy/doctor/report';
import { DEFAULT_OPTIONS, type DoctorOptions, runDoctor } from '@enginy/doctor/run';
import type { TestStack } from '@enginy/stack/test-stack';
import { ADMIN } from './stack-fixture.ts';

export function doctor(stack: TestStack, overrides: Partial<DoctorOptions> = {}): Promise<Report> {
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
