// The console's API as the web app calls it (through its /api/auth proxy, with the session cookie,
// the CSRF header and the web origin): what a workspace admin does in the console, without the pages.
import { SEED_IDS } from '@enginy/db/seed';
import type { TestStack } from '@enginy/stack/test-stack';
import { type ConsoleClient, consoleClient } from '@enginy/testing/console-client';
import { ADMIN } from './whoami.ts';

/** Signs in as the seeded admin and acts on `workspaceId` (Acme Outreach by default). */
export async function consoleApi(stack: TestStack, workspaceId: string = SEED_IDS.acme): Promise<ConsoleClient> {
  const web = stack.config.web.url;
  const signIn = await fetch(`${web}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: web },
    body: JSON.stringify(ADMIN),
  });
  if (!signIn.ok) throw new Error(`console sign-in: HTTP ${signIn.status}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return consoleClient({ base: `${web}/api/auth`, webOrigin: web, session: { cookie, csrfToken }, workspaceId });
}
