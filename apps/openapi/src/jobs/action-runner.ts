import type { Db } from '@enginy/db/client';
import { claimAction, finishAction, pendingActionIds } from '@enginy/db/queries/domain/actions';
import { contactEmails, setEmailVerification } from '@enginy/db/queries/domain/contacts';
import type { EmailVerificationStatus } from '@enginy/db/queries/domain/contacts';
import type { FastifyBaseLogger } from 'fastify';
import { verifyEmail } from './verify-email.ts';

export interface ActionRunner {
  /** Runs the action in the background after the runner's delay. */
  enqueue(actionId: string): void;
  /** Picks up actions a previous process left PENDING. */
  resumePending(): Promise<void>;
  /** Cancels what has not started and waits for what has. */
  close(): Promise<void>;
}

/**
 * Background actions, in process: each one is claimed in the database (PENDING → RUNNING, so two
 * processes never run it twice), does its work, and records COMPLETED or FAILED with a result that
 * `GET /v1/actions/{id}/status` shows. The delay makes "started, poll for status" observable.
 */
export function createActionRunner(db: Db, log: FastifyBaseLogger, delayMs: number): ActionRunner {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const run = async (actionId: string) => {
    const action = await claimAction(db, actionId);
    if (!action) return;
    try {
      const result = await execute(db, action.workspace_id, action.type, action.contact_ids);
      await finishAction(db, actionId, 'COMPLETED', result);
    } catch (error) {
      log.error({ err: error, actionId }, 'action failed');
      await finishAction(db, actionId, 'FAILED', { error: 'The action could not be completed' });
    }
  };

  const enqueue = (actionId: string) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const job = run(actionId).catch((error) => log.error({ err: error, actionId }, 'action runner error'));
      running.add(job);
      void job.finally(() => running.delete(job));
    }, delayMs);
    timers.add(timer);
  };

  return {
    enqueue,
    async resumePending() {
      // Best effort: a database that is down at start-up must not stop the app from serving /healthz.
      try {
        for (const id of await pendingActionIds(db)) enqueue(id);
      } catch (error) {
        log.warn({ err: error }, 'could not resume pending actions');
      }
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}

async function execute(
  db: Db,
  workspaceId: string,
  type: string,
  contactIds: string[],
): Promise<Record<string, unknown>> {
  if (type !== 'VERIFY_LEAD_EMAIL') throw new Error(`unknown action type ${type}`);
  const contacts = await contactEmails(db, workspaceId, contactIds);
  const byStatus: Record<EmailVerificationStatus, string[]> = { UNVERIFIED: [], VALID: [], INVALID: [], RISKY: [] };
  for (const contact of contacts) byStatus[verifyEmail(contact.email)].push(contact.id);
  for (const [status, ids] of Object.entries(byStatus))
    await setEmailVerification(db, workspaceId, ids, status as EmailVerificationStatus);
  return {
    verified: contacts.length,
    valid: byStatus.VALID.length,
    risky: byStatus.RISKY.length,
    invalid: byStatus.INVALID.length,
    missing: contactIds.length - contacts.length,
  };
}
