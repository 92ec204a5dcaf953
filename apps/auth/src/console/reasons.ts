// A human sentence for each audit reason code; the denial strings are the product's own (packages/policy).
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';

const MESSAGES: Record<string, string> = {
  ...AUTHORIZATION_MESSAGES,
  approved: 'Approved: the client received an authorization code',
  access_denied: 'The user denied the request',
  token_exchange_failed: 'The token exchange failed after the consent screen (details say why)',
  unknown_client: 'Unknown OAuth client (not registered, deleted, or its metadata document could not be used)',
  redirect_uri_not_registered: 'redirect_uri is not registered for this client',
  invalid_request: 'The authorization request is malformed',
  invalid_target: 'The requested resource is not this MCP server',
  invalid_scope: AUTHORIZATION_MESSAGES.scopes_not_allowed,
  unsupported_response_type: 'Unsupported response_type; use code',
  settings_changed: 'MCP settings changed',
  connection_revoked: 'Connection revoked by an admin',
  client_revoked: 'Every connection of this client revoked by an admin',
  client_created: 'Pre-registered client created',
  client_secret_rotated: 'Client secret rotated: the old secret no longer works',
  client_deleted: 'Pre-registered client deleted: it is now an unknown client',
  api_key_created: 'API key created',
  api_key_revoked: 'API key revoked',
  member_removed: 'Member removed from the workspace: their connections here ended',
  failure_lab_on: 'Failure-lab scenario switched on (pnpm lab or the console)',
  failure_lab_off: 'Failure-lab scenario switched off (pnpm lab or the console)',
};

export function reasonMessage(reason: string): string {
  return MESSAGES[reason] ?? reason;
}

/** The admin changes recorded beside the authorization attempts (see admin-event.ts). */
const ADMIN_REASONS = new Set([
  'settings_changed',
  'connection_revoked',
  'client_revoked',
  'client_created',
  'client_secret_rotated',
  'client_deleted',
  'api_key_created',
  'api_key_revoked',
  'member_removed',
  'failure_lab_on',
  'failure_lab_off',
]);

export function eventKind(reason: string): 'admin' | 'authorization' {
  return ADMIN_REASONS.has(reason) ? 'admin' : 'authorization';
}
