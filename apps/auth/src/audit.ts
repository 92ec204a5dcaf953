import type { Db } from '@enginy/db/client';
import { type AuthEvent, recordAuthEvent } from '@enginy/db/queries/oauth-events';
import type { FastifyBaseLogger } from 'fastify';

/** Records an authorization decision; a failed write is logged, never turned into a failed request. */
export async function audit(db: Db, log: FastifyBaseLogger, event: AuthEvent): Promise<void> {
  try {
    await recordAuthEvent(db, event);
  } catch (error) {
    log.error({ err: error, reason: event.reason }, 'could not record an auth event');
  }
}
