// Where a client ID metadata document client's metadata came from, in words: the consent page, the
// attempts list and the OAuth clients page say it the same way. Kinds come from the auth service
// (apps/auth/src/oauth/clients/cimd.ts): `cached` is only ever a moment's answer, never stored.
import type { ClientSource as ClientSourceSchema } from '@enginy/contracts/consent';
import type { Static } from 'typebox';
import { ago } from './console/format.ts';

/** As the consent answer carries it (@enginy/contracts/consent): a kind, and when the document was last fetched. */
export type ClientSource = Static<typeof ClientSourceSchema>;
export type ClientSourceKind = ClientSource['kind'];

export interface ClientSourceText {
  text: string;
  /** Unverified: nothing vouches for the client, so it is shown as a warning. */
  warning: boolean;
}

const KINDS = new Set<string>(['fetched', 'cached', 'bundled', 'unverified']);

/** A `clientSource` as an audit event's details or an API answer carry it (a kind, or `{ kind, fetchedAt }`); undefined when it is neither. */
export function parseClientSource(value: unknown): ClientSource | undefined {
  if (typeof value === 'string')
    return KINDS.has(value) ? { kind: value as ClientSourceKind, fetchedAt: null } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, fetchedAt } = value as Record<string, unknown>;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  return { kind: kind as ClientSourceKind, fetchedAt: typeof fetchedAt === 'string' ? fetchedAt : null };
}

export function clientSourceText(source: ClientSource, now = Date.now()): ClientSourceText {
  const age = source.fetchedAt === null ? undefined : ago(source.fetchedAt, now);
  switch (source.kind) {
    case 'fetched':
      return { text: age === undefined ? 'fetched live' : `fetched ${age}`, warning: false };
    case 'cached':
      return { text: age === undefined ? 'cached copy' : `cached copy from ${age}`, warning: false };
    case 'bundled':
      return { text: "bundled copy (the client's host could not be reached)", warning: false };
    case 'unverified':
      return {
        text: 'unverified — the document could not be fetched; development only, loopback redirects only',
        warning: true,
      };
  }
}
