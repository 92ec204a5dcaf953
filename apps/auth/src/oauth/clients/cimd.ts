import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findClient, type OAuthClient, touchCimdClient, upsertCimdClient } from '@enginy/db/queries/oauth-clients';
import { cleanClientName } from '@enginy/policy/client-name';
import { redirectUriRegistrable } from '@enginy/policy/redirect-uri';
import { InvalidClient } from '../../errors/classes.ts';
import { BUNDLED_DOCUMENTS } from './bundled-documents.ts';
import { FetchUnreachable, safeFetchJson } from './safe-fetch.ts';

// While the host stays unreachable, a bundled or unverified client is used without trying again.
const RETRY_UNREACHABLE_SECONDS = 60;
const MAX_BYTES = 5 * 1024;

/** Where the client's metadata came from this time: shown on the consent page and in the audit. */
export type ClientSourceKind = 'fetched' | 'cached' | 'bundled' | 'unverified';

export interface ResolvedMetadataClient {
  client: OAuthClient;
  source: ClientSourceKind;
  /** Why the live document was not used (the network-level failure), for the audit only. */
  fetchFailure?: string;
}

/** A client_id that names a metadata document: the document could not be used (said generically). */
export class UnusableMetadataDocument extends InvalidClient {
  constructor(
    clientId: string,
    reason: string,
    /** The detail (socket error, status), written to the audit, never sent to the unauthenticated caller. */
    readonly detail?: string,
  ) {
    super(`The client metadata document at ${clientId} could not be used: ${reason}`);
  }
}

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a `client_id` that is
 * an https URL names a JSON document describing the client.
 */
export function isMetadataDocumentUrl(clientId: string, config: StackConfig): URL | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return undefined;
  }
  // The document URL "MUST use the https scheme, MUST contain a path component, MUST NOT contain a
  // fragment … MUST NOT contain a username or password".
  const localHttp =
    config.oauth.cimdAllowHttpLocalhost &&
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  if (url.protocol !== 'https:' && !localHttp) return undefined;
  if (url.pathname === '/' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return url;
}

function ageSeconds(date: Date | null): number {
  return date === null ? Number.POSITIVE_INFINITY : (Date.now() - date.getTime()) / 1000;
}

/**
 * The client described by the document at `url`. In order: a fresh cached copy; the live document;
 * and only when its host is unreachable (never when it answered something unusable, nor when the
 * address policy refused it): a cached copy up to CIMD_STALE_SECONDS old, a bundled copy of a
 * well-known client's public document, then (development) an unverified client that may only
 * redirect to loopback URIs.
 */
export async function resolveMetadataDocumentClient(
  db: Db,
  config: StackConfig,
  url: URL,
  bundledDocuments: ReadonlyMap<string, Record<string, unknown>> = BUNDLED_DOCUMENTS,
): Promise<ResolvedMetadataClient> {
  const clientId = url.href;
  const stored = await findClient(db, clientId);
  const known = stored?.kind === 'cimd' ? stored : undefined;
  if (known?.metadataSource === 'fetched' && ageSeconds(known.fetchedAt) < config.cimd.cacheSeconds)
    return { client: known, source: 'cached' };
  if (
    known !== undefined &&
    known.metadataSource !== 'fetched' &&
    ageSeconds(known.metadataCheckedAt) < RETRY_UNREACHABLE_SECONDS
  ) {
    return {
      client: known,
      source: known.metadataSource ?? 'unverified',
      fetchFailure: 'not retried yet: the host was unreachable moments ago',
    };
  }

  let document: unknown;
  try {
    document = await safeFetchJson(url, {
      maxBytes: MAX_BYTES,
      timeoutMs: config.cimd.fetchTimeoutSeconds * 1000,
      allowLoopback: config.oauth.cimdAllowHttpLocalhost,
    });
  } catch (error) {
    const detail = (error as Error).message;
    if (!(error instanceof FetchUnreachable))
      throw new UnusableMetadataDocument(clientId, 'it could not be fetched', detail);
    return fallback(db, config, url, known, detail, bundledDocuments);
  }
  return { client: await storeDocument(db, clientId, document, 'fetched'), source: 'fetched' };
}

async function fallback(
  db: Db,
  config: StackConfig,
  url: URL,
  known: OAuthClient | undefined,
  fetchFailure: string,
  bundledDocuments: ReadonlyMap<string, Record<string, unknown>>,
): Promise<ResolvedMetadataClient> {
  const clientId = url.href;
  if (known?.metadataSource === 'fetched' && ageSeconds(known.fetchedAt) < config.cimd.staleSeconds) {
    await touchCimdClient(db, clientId);
    return { client: known, source: 'cached', fetchFailure };
  }
  const bundled = config.cimd.bundledDocuments ? bundledDocuments.get(clientId) : undefined;
  if (bundled !== undefined)
    return { client: await storeDocument(db, clientId, bundled, 'bundled'), source: 'bundled', fetchFailure };
  if (config.cimd.unverifiedLoopback) {
    // Nothing vouches for this client: its name is its host, and it may only redirect to a loopback
    // URI (a native app on the user's own machine, RFC 8252 §7.3), which no remote site can receive.
    const client = await upsertCimdClient(
      db,
      clientId,
      { name: url.hostname, redirectUris: [], tokenEndpointAuthMethod: 'none', metadata: { client_id: clientId } },
      'unverified',
    );
    return { client, source: 'unverified', fetchFailure };
  }
  throw new UnusableMetadataDocument(clientId, 'its host could not be reached', fetchFailure);
}

/** Checks a document (fetched or bundled) and stores the client it describes. */
async function storeDocument(
  db: Db,
  clientId: string,
  document: unknown,
  source: 'fetched' | 'bundled',
): Promise<OAuthClient> {
  const doc = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  // "The client_id property in the document MUST match the URL of the document exactly."
  if (doc.client_id !== clientId)
    throw new UnusableMetadataDocument(clientId, `its client_id must equal its URL ${clientId}`);
  const redirectUris = Array.isArray(doc.redirect_uris)
    ? doc.redirect_uris.filter((uri): uri is string => typeof uri === 'string')
    : [];
  if (redirectUris.length === 0 || !redirectUris.every(redirectUriRegistrable))
    throw new UnusableMetadataDocument(clientId, 'it has no valid redirect_uris');
  const method = doc.token_endpoint_auth_method ?? 'none';
  // A document is public: anyone can read it, so it can only describe a public client (or private_key_jwt, not supported).
  if (method !== 'none')
    throw new UnusableMetadataDocument(clientId, 'client metadata documents must use token_endpoint_auth_method none');
  const name = cleanClientName(doc.client_name, new URL(clientId).hostname);
  return upsertCimdClient(db, clientId, { name, redirectUris, tokenEndpointAuthMethod: 'none', metadata: doc }, source);
}
