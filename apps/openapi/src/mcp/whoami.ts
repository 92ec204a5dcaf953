import type { Db } from '@enginy/db/client';
import type { ActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { findConnectionParties } from '@enginy/db/queries/mcp';
import { expandScopes } from '@enginy/policy/scopes';

export const WHOAMI_TOOL = {
  name: 'mcp_whoami',
  title: 'Who am I',
  description:
    'Verify the connection: returns the authenticated user, workspace and client, the granted scopes and what they allow under ' +
    "today's workspace policy, the token's expiry, and a checklist (server reachable, OAuth completed, bearer token accepted, " +
    'granted scopes match what the workspace approves).',
  inputSchema: { type: 'object' as const, properties: {}, additionalProperties: false },
  annotations: { title: 'Who am I', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export interface WhoamiResult {
  [key: string]: unknown;
  user: { id: string; email: string; name: string };
  workspace: { id: string; slug: string; name: string };
  client: { id: string; name: string | null };
  grantedScopes: string[];
  effectiveScopes: string[];
  policyScopes: string[];
  tokenExpiresAt: string;
  checks: { check: string; ok: boolean; detail: string }[];
}

/** Enginy's "verify the connection" step as data. Only reachable with an accepted token. */
export async function whoami(db: Db, token: ActiveAccessToken): Promise<WhoamiResult> {
  const parties = await findConnectionParties(db, token);
  const policyScopes = parties?.policyScopes ?? [];
  const ceiling = expandScopes(policyScopes);
  // Granted scopes the workspace no longer approves (the admin narrowed the policy since).
  const beyondPolicy = token.grantedScopes.filter((scope) => ![...expandScopes([scope])].every((s) => ceiling.has(s)));
  return {
    user: { id: token.userId, email: parties?.email ?? '', name: parties?.userName ?? '' },
    workspace: { id: token.workspaceId, slug: parties?.slug ?? '', name: parties?.workspaceName ?? '' },
    client: { id: token.clientId, name: parties?.clientName ?? null },
    grantedScopes: token.grantedScopes,
    effectiveScopes: token.effectiveScopes,
    policyScopes,
    tokenExpiresAt: token.expiresAt.toISOString(),
    checks: [
      { check: 'The hosted MCP server is reachable', ok: true, detail: 'This answer came from it.' },
      { check: 'OAuth completed successfully', ok: true, detail: `Grant ${token.grantId} for client ${token.clientId}.` },
      { check: 'The client is sending the correct bearer token', ok: true, detail: `Accepted; it expires at ${token.expiresAt.toISOString()}.` },
      {
        check: 'The granted scopes match what Enginy approved',
        ok: beyondPolicy.length === 0,
        detail:
          beyondPolicy.length === 0
            ? `Granted: ${token.grantedScopes.join(' ') || '(none)'}.`
            : `Granted but no longer in the workspace policy: ${beyondPolicy.join(', ')}. Tools needing them are refused until the policy allows them again.`,
      },
    ],
  };
}
