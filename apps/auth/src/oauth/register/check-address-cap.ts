import type { Db } from '@enginy/db/client';
import { countUnusedDynamicClientsFrom } from '@enginy/db/queries/oauth-clients';
import { TemporarilyUnavailable } from '../../errors/classes.ts';

/** The purge runs hourly: by then the oldest unused clients may have expired. */
const CAP_RETRY_AFTER_SECONDS = 3600;

/**
 * Registration is open to anyone, so each address may hold `cap` clients that never completed a grant
 * (UNUSED_CLIENTS_PER_ADDRESS; they expire a day after registering: jobs/purge-expired.ts). Per
 * address, not one global count: a global cap let one caller shut registration off for everyone.
 * RFC 7591 §3: registration requests with no authorization "MAY be rate-limited or otherwise limited
 * to prevent a denial-of-service attack on the client registration endpoint". `source` is the
 * caller's address, forwarded by the OpenAPI service's aliases (app.ts: trusted proxies).
 */
export async function checkAddressCap(db: Db, source: string, cap: number): Promise<void> {
  if ((await countUnusedDynamicClientsFrom(db, source)) >= cap) {
    throw new TemporarilyUnavailable('Too many registered clients from this address; try again later', {
      retryAfterSeconds: CAP_RETRY_AFTER_SECONDS,
    });
  }
}
