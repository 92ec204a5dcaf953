// How the browser step ended, turned into the failed checklist step with the product's
// troubleshooting entry and the concrete fix, in the terms of the client the doctor stands in for.
import type { KnownClient } from '@enginy/config/known-clients';
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';
import { ENTRIES, type Entry, type StepId, StepFailure } from './report.ts';

export interface FlowFacts {
  /** The real client the doctor stands in for (`--as`): its fixes are the ones printed. */
  client: KnownClient;
  clientId: string;
  redirectUri: string;
  callbackPort: number;
  requestedScopes: string[];
}

/** The labels the consent page shows a denial's details under (apps/web, keys from packages/policy). */
const POLICY_SCOPES_LABEL = 'Workspace policy scopes';
const OFFENDING_LABEL = 'Scopes outside the policy';

const RETRY = 'then run the doctor again (the policy applies at once, no restart).';

/** The web app's or the auth server's error page text (exact strings, see packages/policy). */
export function classifyRefusal(text: string, facts: FlowFacts, details: Record<string, string> = {}): StepFailure {
  const fail = (step: StepId, entry: Entry, fix: string) =>
    new StepFailure(step, `The browser step stopped on: ${text}`, entry, fix);
  if (text.includes(AUTHORIZATION_MESSAGES.redirect_uri_not_allowed)) {
    return fail(
      'redirect-uri',
      ENTRIES.redirect,
      `Add ${facts.redirectUri} to "Allowed redirect URIs" in the workspace MCP settings (exact match: the URI ${facts.client.name} sends here; how its recipe fixes the callback: ${facts.client.callbackFix}), ${RETRY}${facts.client.trap === undefined ? '' : ` ${facts.client.trap}`}`,
    );
  }
  if (text.includes('redirect_uri is not registered')) {
    return fail(
      'redirect-uri',
      ENTRIES.redirect,
      `The client ${facts.clientId} is not registered for ${facts.redirectUri}: register that redirect URI with the client (loopback ports may vary, host and path may not).`,
    );
  }
  if (text.includes(AUTHORIZATION_MESSAGES.client_id_not_allowed)) {
    return fail(
      'client-id',
      ENTRIES.clientId,
      `Add this exact client ID to "Allowed OAuth client IDs": ${facts.clientId} — or empty the allowlist while you establish the first connection.`,
    );
  }
  if (text.includes('MCP is disabled'))
    return fail(
      'workspace-policy',
      ENTRIES.noConnection,
      `Enable MCP for the workspace (workspace settings → MCP), ${RETRY}`,
    );
  if (text.includes('policy of this workspace is inactive') || text.includes('has no scopes')) {
    return fail(
      'workspace-policy',
      ENTRIES.noConnection,
      `Make the policy active with at least one scope in the workspace MCP settings, ${RETRY}`,
    );
  }
  if (text.includes(AUTHORIZATION_MESSAGES.scopes_not_allowed)) {
    return scopeFailure(
      facts,
      `The browser step stopped on: ${text}`,
      words(details[POLICY_SCOPES_LABEL]),
      words(details[OFFENDING_LABEL]),
    );
  }
  if (isUnusableMetadataDocument(text)) return metadataDocumentFailure(text, facts);
  if (/client/i.test(text))
    return fail(
      'client-id',
      ENTRIES.clientId,
      `The authorization server does not know client ${facts.clientId}: register it again (dynamic registration) or check --client-id.`,
    );
  return fail(
    'consent',
    ENTRIES.noConnection,
    'Complete the browser flow all the way to the callback; fix what the page says and start again.',
  );
}

const words = (value: string | undefined) =>
  value === undefined ? undefined : value.split(/\s+/).filter((w) => w !== '' && w !== '(none)');

/**
 * The request is wider than the workspace policy: the client's own way to ask for less (from the
 * known-clients table), or a wider policy. The policy's scopes come from the error page's details;
 * when the denial went straight back to the callback they are unknown and named in words.
 */
function scopeFailure(facts: FlowFacts, detail: string, policyScopes?: string[], offending?: string[]): StepFailure {
  const policy = policyScopes !== undefined && policyScopes.length > 0 ? policyScopes : undefined;
  const narrow = facts.client.narrowScopes(policy ?? ['<the workspace policy scopes>']);
  const outside = offending !== undefined && offending.length > 0 ? ` to include ${offending.join(' ')}` : '';
  return new StepFailure(
    'scopes',
    detail,
    ENTRIES.scopes,
    `${facts.client.name} requested ${facts.requestedScopes.join(' ') || '(none)'}${policy ? `; the workspace policy allows ${policy.join(' ')}` : ''}. ` +
      `Narrow the request: ${narrow} (the doctor: --scope "${policy?.join(' ') ?? '<scopes>'}") — or expand the policy in Enginy${outside} (workspace settings → MCP), ${RETRY}`,
  );
}

/** The authorization server's invalid_client for a client ID metadata document it could not use (apps/auth). */
export function isUnusableMetadataDocument(description: string): boolean {
  return /The client metadata document at \S+ could not be used/.test(description);
}

/** Network-level reasons a fetch got no answer (older auth services put the socket error in the text). */
const UNREACHABLE =
  /could not be reached|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|timed out/;

/**
 * The authorization server could not use the client's metadata document: usually its host (claude.ai,
 * chatgpt.com) is unreachable from the server, e.g. offline.
 */
export function metadataDocumentFailure(
  description: string,
  facts: Pick<FlowFacts, 'client' | 'clientId' | 'redirectUri'>,
): StepFailure {
  const pin =
    `pin a DCR client instead of the document: pnpm oauth-client create --name "${facts.client.name}" --redirect-uri ${facts.redirectUri} and give its client_id to ${facts.client.name} ` +
    '(the doctor: --client-id … --client-secret …, or --registration dcr to register dynamically).';
  const detail = `The authorization server refused client_id ${facts.clientId}: ${description}`;
  if (!UNREACHABLE.test(description)) {
    return new StepFailure(
      'registration',
      detail,
      ENTRIES.clientId,
      `The document at ${facts.clientId} was reached but cannot be used: it must be JSON served over https whose client_id equals its URL, with redirect_uris and token_endpoint_auth_method none. Fix the document, or ${pin}`,
    );
  }
  return new StepFailure(
    'registration',
    detail,
    ENTRIES.clientId,
    `The authorization server could not fetch ${facts.clientId}: its host is unreachable from the server (offline, DNS or a firewall). ` +
      "In development the stack does not need the network for this: it uses a bundled copy of Claude Code's document, and accepts other https client IDs as unverified clients restricted to loopback redirect URIs " +
      '(CIMD_BUNDLED_DOCUMENTS and CIMD_UNVERIFIED_LOOPBACK, on unless NODE_ENV=production; restart the auth service without them set to false). ' +
      `Otherwise connect the auth service to the network, or ${pin}`,
  );
}

/** An error the authorization server sent back to the callback (RFC 6749 §4.1.2.1). */
export function classifyCallbackError(error: string, description: string, facts: FlowFacts): StepFailure {
  const detail = `The callback received error=${error}${description ? ` (${description})` : ''}`;
  if (error === 'invalid_scope') return scopeFailure(facts, detail);
  if (error === 'invalid_client' && isUnusableMetadataDocument(description))
    return metadataDocumentFailure(description, facts);
  if (error === 'access_denied') {
    return new StepFailure(
      'consent',
      detail,
      ENTRIES.noConnection,
      'The consent was denied in the browser: the OAuth flow must complete all the way through the browser callback. Start again and choose Approve.',
    );
  }
  return new StepFailure(
    'consent',
    detail,
    ENTRIES.noConnection,
    'Fix what the error says and start the browser flow again.',
  );
}

/** A failed token exchange, after the consent screen. */
export function classifyTokenError(
  status: number | undefined,
  error: string,
  description: string,
  tokenEndpoint: string,
): StepFailure {
  const detail = `POST ${tokenEndpoint} answered ${status === undefined ? 'nothing' : `HTTP ${status}`}: ${error}${description ? ` (${description})` : ''}`;
  if (error === 'html' || error === 'not_json' || status === 404) {
    return new StepFailure(
      'token-exchange',
      detail,
      ENTRIES.tokenPath,
      "The token request did not reach Enginy's token endpoint: you are usually hitting a stale server, a proxy, or the wrong base URL.",
    );
  }
  if (error === 'invalid_client') {
    return new StepFailure(
      'token-exchange',
      detail,
      ENTRIES.noConnection,
      "The token exchange failed after the consent screen: the client could not authenticate. Check --client-secret and --auth-method against the client's registration.",
    );
  }
  return new StepFailure(
    'token-exchange',
    detail,
    ENTRIES.noConnection,
    'The token exchange failed after the consent screen: start the flow again; if it repeats, check the auth service log.',
  );
}
