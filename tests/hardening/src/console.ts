// The console API as a signed-in workspace admin calls it, sent to `base`: the auth service or one
// replica of it (the shared console client of @enginy/testing).
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';
import { type ConsoleClient, consoleClient } from '@enginy/testing/console-client';
import type { Session } from '@enginy/testing/oauth-client';

export function consoleAt(
  config: StackConfig,
  session: Session,
  base: string,
  workspaceId: string = SEED_IDS.acme,
): ConsoleClient {
  return consoleClient({ base, webOrigin: config.web.url, session, workspaceId });
}
