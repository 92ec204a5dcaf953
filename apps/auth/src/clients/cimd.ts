import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findClient, type OAuthClient, upsertCimdClient } from '@enginy/db/queries/oauth-clients';
import { isValidRedirectUri } from '@enginy/policy/redirect-uri';
import { InvalidClient } from '../errors.ts';
import { safeFetchJson } from './safe-fetch.ts';

const CACHE_SECONDS = 600;
const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5_000;

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
  const localHttp = config.oauth.cimdAllowHttpLocalhost && url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  if (url.protocol !== 'https:' && !localHttp) return undefined;
  if (url.pathname === '/' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return url;
}

/** The client described by the document at `url`, from the cache when fresh. */
export async function resolveMetadataDocumentClient(db: Db, config: StackConfig, url: URL): Promise<OAuthClient> {
  const clientId = url.href;
  const cached = await findClient(db, clientId);
  if (cached?.kind === 'cimd' && cached.fetchedAt !== null && Date.now() - cached.fetchedAt.getTime() < CACHE_SECONDS * 1000) return cached;

  let document: unknown;
  try {
    document = await safeFetchJson(url, { maxBytes: MAX_BYTES, timeoutMs: TIMEOUT_MS, allowLoopback: config.oauth.cimdAllowHttpLocalhost });
  } catch (error) {
    throw new InvalidClient(`The client metadata document at ${clientId} could not be used: it ${(error as Error).message}`);
  }
  const doc = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  // "The client_id property in the document MUST match the URL of the document exactly."
  if (doc.client_id !== clientId) throw new InvalidClient(`The client metadata document's client_id must equal its URL ${clientId}`);
  const redirectUris = Array.isArray(doc.redirect_uris) ? doc.redirect_uris.filter((u): u is string => typeof u === 'string') : [];
  if (redirectUris.length === 0 || !redirectUris.every(isValidRedirectUri)) throw new InvalidClient('The client metadata document has no valid redirect_uris');
  const method = doc.token_endpoint_auth_method ?? 'none';
  // A document is public: anyone can read it, so it can only describe a public client (or private_key_jwt, not supported).
  if (method !== 'none') throw new InvalidClient('Client metadata documents must use token_endpoint_auth_method none');
  const name = typeof doc.client_name === 'string' && doc.client_name.trim() !== '' ? doc.client_name.slice(0, 200) : url.hostname;
  return upsertCimdClient(db, clientId, { name, redirectUris, tokenEndpointAuthMethod: 'none', metadata: doc });
}
