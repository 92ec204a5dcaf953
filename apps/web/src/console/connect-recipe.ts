// What the Connect page says about one known client against the workspace's saved settings: which
// redirect URI it sends, whether that exact URI is allowed, and whether a button may add it. The
// client facts come from packages/config's table; here they only meet the settings.
import { KNOWN_CLIENTS, type KnownClient, knownClient, type ScopeChoice } from '@enginy/config/known-clients';
import { isClientIdAllowed } from '@enginy/policy/client-id';
import { redirectUriAllowedByWorkspace } from '@enginy/policy/redirect-uri';
import type { McpSettings, McpSettingsInput } from './types.ts';

/** The client the page opens on when the query string names none (or one it does not know). */
export const DEFAULT_CLIENT = knownClient('claude-code');

export function clientFromQuery(value: string | null): KnownClient {
  return KNOWN_CLIENTS.find((client) => client.id === value) ?? DEFAULT_CLIENT;
}

/** A URI a client really puts on the wire, as opposed to a pattern (`<port>`) or a sentence. */
export function isConcreteUri(value: string): boolean {
  return URL.canParse(value) && !/[\s<>]/.test(value);
}

export interface RedirectFacts {
  /** What the client sends when nothing fixes it: a URI, a pattern with a random part, or words. */
  byDefault: { value: string; form: 'uri' | 'pattern' | 'words' };
  /** What its recipe makes it send: the URI to allowlist. */
  sent: string;
  /** `sent` is in Allowed redirect URIs, character for character. */
  allowlisted: boolean;
  /**
   * An admin's button may add `sent`: a concrete URI not yet in the list. Never a variant the client
   * does not send, and never a random-port default (no entry can match it).
   */
  addable: boolean;
}

export function redirectFacts(client: KnownClient, allowedRedirectUris: readonly string[]): RedirectFacts {
  const value = client.defaultRedirectUri;
  const form = /<[^>]+>/.test(value) ? 'pattern' : isConcreteUri(value) ? 'uri' : 'words';
  const sent = client.recipeRedirectUri;
  const allowlisted = redirectUriAllowedByWorkspace(allowedRedirectUris, sent);
  return { byDefault: { value, form }, sent, allowlisted, addable: !allowlisted && isConcreteUri(sent) };
}

/** One step of what makes a client's first connection work: the admin's, or the client's own. */
export interface FixStep {
  who: 'admin' | 'client';
  text: string;
  /** The admin's step is done once the exact URI is allowed; the client's is the person's to do. */
  done?: boolean;
}

/**
 * What fixes the redirect, in the order it must happen: an admin allows the exact URI the recipe
 * sends (already done when it is in the list), then, when the recipe sends something other than the
 * client's default, the client's own setting that makes it send that URI.
 */
export function fixSteps(client: KnownClient, allowedRedirectUris: readonly string[]): FixStep[] {
  const facts = redirectFacts(client, allowedRedirectUris);
  const steps: FixStep[] = [
    facts.allowlisted
      ? { who: 'admin', text: `${facts.sent} is already in Allowed redirect URIs: no admin change.`, done: true }
      : { who: 'admin', text: `An admin adds ${facts.sent} to Allowed redirect URIs (exact match).`, done: false },
  ];
  if (client.recipeRedirectUri !== client.defaultRedirectUri)
    steps.push({ who: 'client', text: `In ${client.name}: ${client.callbackFix}.` });
  return steps;
}

/** The settings to save so that `uri` is allowed as well: everything else exactly as saved. */
export function withRedirectUri(settings: McpSettings, uri: string): McpSettingsInput {
  const { enabled, allowedRedirectUris, allowedClientIds, policyScopes, policyActive } = settings;
  return {
    enabled,
    allowedRedirectUris: redirectUriAllowedByWorkspace(allowedRedirectUris, uri)
      ? allowedRedirectUris
      : [...allowedRedirectUris, uri],
    allowedClientIds,
    policyScopes,
    policyActive,
  };
}

export interface ChecklistItem {
  label: string;
  ok: boolean;
  fix: string;
}

/** Allowed OAuth client IDs for this client: empty lets it in; a list lets in only the IDs on it. */
export function clientIdItem(client: KnownClient, allowedClientIds: readonly string[]): ChecklistItem {
  if (allowedClientIds.length === 0)
    return { label: 'Allowed OAuth client IDs empty for the first connection', ok: true, fix: '' };
  const id = client.metadataDocumentUrl;
  if (id !== undefined && isClientIdAllowed(allowedClientIds, id))
    return { label: `Allowed OAuth client IDs include ${client.name}'s client ID`, ok: true, fix: '' };
  return {
    label: 'Allowed OAuth client IDs empty for the first connection',
    ok: false,
    fix:
      id !== undefined
        ? `The list pins ${allowedClientIds.length} client ID(s) without ${id}, the client ID ${client.name} sends: add it, or empty the list.`
        : `The list pins ${allowedClientIds.length} client ID(s): ${client.name} registers a new client ID, which will be refused unless it is on it.`,
  };
}

export function registrationText(client: KnownClient): string {
  if (client.registration === 'cimd')
    return `Registers with a client ID metadata document: its client ID is ${client.metadataDocumentUrl}`;
  if (client.registration === 'dcr')
    return `Registers dynamically (RFC 7591) as “${client.registeredName}”: a new client ID each time`;
  return 'Your app decides how it registers (dynamic registration or a client ID metadata document)';
}

const SCOPE_CHOICES: Record<ScopeChoice, string> = {
  'resource-metadata': "every scope in the server's resource metadata (scopes_supported)",
  'authorization-server-metadata': "every scope in the authorization server's metadata (scopes_supported)",
  challenge: "the scope of the server's 401 challenge",
  app: 'the scope your app puts in its client metadata',
};

export function scopeChoiceText(client: KnownClient): string {
  return SCOPE_CHOICES[client.scopeChoice];
}
