import type { Db } from '@enginy/db/client';
import { type AuthEvent, recordAuthEvent } from '@enginy/db/queries/audit-events';
import type { FastifyBaseLogger } from 'fastify';

// Much of an event comes from unauthenticated requests (a 60 KB row was once accepted): each string
// is cut, each list shortened and nesting bounded, so an event stays well under a few kilobytes.
const MAX_TEXT = 512;
const MAX_ITEMS = 32;
const MAX_DEPTH = 4;

function cut(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)`;
}

function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cut(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '(nested too deep)';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => bounded(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `(${value.length - MAX_ITEMS} more)`] : items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kept = entries.slice(0, MAX_ITEMS).map(([key, item]) => [cut(key), bounded(item, depth + 1)]);
  return Object.fromEntries(
    entries.length > MAX_ITEMS ? [...kept, ['(more)', `${entries.length - MAX_ITEMS} more fields`]] : kept,
  );
}

/** The event as stored: every part bounded. */
export function boundedEvent(event: AuthEvent): AuthEvent {
  return {
    ...event,
    clientId: event.clientId === null ? null : cut(event.clientId),
    redirectUri: event.redirectUri === null ? null : cut(event.redirectUri),
    requestedScopes: event.requestedScopes.slice(0, MAX_ITEMS).map((scope) => scope.slice(0, 64)),
    reason: event.reason.slice(0, 64),
    details: bounded(event.details) as Record<string, unknown>,
  };
}

/** Records an authorization decision; a failed write is logged, never turned into a failed request. */
export async function audit(db: Db, log: FastifyBaseLogger, event: AuthEvent): Promise<void> {
  try {
    await recordAuthEvent(db, boundedEvent(event));
  } catch (error) {
    log.error({ err: error, reason: event.reason }, 'could not record an auth event');
  }
}
