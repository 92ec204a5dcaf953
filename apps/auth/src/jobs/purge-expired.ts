import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { purgeUnusedDynamicClients } from '@enginy/db/queries/oauth-clients';
import { purgeAuthEvents } from '@enginy/db/queries/audit-events';
import { purgeFlowSteps } from '@enginy/db/queries/flow-steps';
import { purgeExpired } from '@enginy/db/queries/oauth-purge';
import type { FastifyBaseLogger } from 'fastify';

/** What expired less than this long ago is kept, so a late request still gets "expired", not "unknown". */
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const KEEP_EXPIRED_MS = DAY_MS;
const EVERY_MS = HOUR_MS;

/** Since when the audit of authorization attempts and admin changes is kept (AUDIT_RETENTION_DAYS). */
export function auditKeptSince(config: StackConfig, now: number = Date.now()): Date {
  return new Date(now - config.audit.retentionDays * DAY_MS);
}
/**
 * A dynamic client that never completed a grant is deleted a day (UNUSED_CLIENT_TTL_HOURS) after its
 * last registration. RFC 7591 §3: anonymous registration requests "MAY be rate-limited or otherwise
 * limited to prevent a denial-of-service attack on the client registration endpoint"; kept for ever,
 * such clients filled the cap until nobody could register.
 */
function unusedClientsRegisteredBefore(config: StackConfig, now: number): Date {
  return new Date(now - config.oauth.unusedClientTtlHours * HOUR_MS);
}

export interface PurgeJob {
  /** One purge now (at start-up), then one every hour. */
  start(): void;
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps the OAuth tables from growing without bound: expired sessions, authorization requests,
 * codes and tokens are deleted a day after they expire, dynamic clients that never completed a grant
 * a day after they last registered, and spent refresh tokens' retry answers are cleared once their
 * grace period is over. A failed run (say the database is restarting) is logged and tried again at
 * the next one.
 */
export function purgeExpiredJob(
  db: Db,
  log: FastifyBaseLogger,
  config: StackConfig,
  now: () => number = Date.now,
): PurgeJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const runOnce = () => {
    running = running.then(async () => {
      try {
        const purged = {
          ...(await purgeExpired(
            db,
            new Date(now() - KEEP_EXPIRED_MS),
            new Date(now() - config.oauth.refreshRetryGraceSeconds * 1000),
          )),
          authEvents: await purgeAuthEvents(db, auditKeptSince(config, now())),
          // The console's flows are kept as long as the attempts they explain.
          flowSteps: await purgeFlowSteps(db, auditKeptSince(config, now())),
          unusedDynamicClients: await purgeUnusedDynamicClients(
            db,
            unusedClientsRegisteredBefore(config, now()),
            new Date(now()),
          ),
        };
        if (Object.values(purged).some((count) => count > 0)) log.info({ purged }, 'expired OAuth rows deleted');
      } catch (error) {
        log.warn({ err: error }, 'expired OAuth rows not purged; will retry');
      }
    });
    return running;
  };
  return {
    start() {
      void runOnce();
      timer = setInterval(() => void runOnce(), EVERY_MS);
      timer.unref();
    },
    runOnce,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
