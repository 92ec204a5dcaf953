import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/**
 * What our `mcp_whoami` answers, as far as a stateless peer knows it: the token's client, scopes and
 * expiry, fixed user and workspace labels (it has no database), and the same checklist.
 */
export function peerWhoami(auth: AuthInfo | undefined): Record<string, unknown> {
  const expiresAt = auth?.expiresAt === undefined ? '' : new Date(auth.expiresAt * 1000).toISOString();
  const scopes = auth?.scopes ?? [];
  return {
    user: { id: '00000000-0000-4000-8000-000000000001', email: 'dev@enginy.local', name: 'Dev Admin' },
    workspace: { id: '00000000-0000-4000-8000-000000000002', slug: 'acme', name: 'Acme Outreach' },
    client: { id: auth?.clientId ?? '', name: null },
    grantedScopes: scopes,
    effectiveScopes: scopes,
    policyScopes: scopes,
    tokenExpiresAt: expiresAt,
    checks: [
      { check: 'The hosted MCP server is reachable', ok: true, detail: 'This answer came from it.' },
      { check: 'OAuth completed successfully', ok: true, detail: `Client ${auth?.clientId ?? ''}.` },
      {
        check: 'The client is sending the correct bearer token',
        ok: true,
        detail: `Accepted; it expires at ${expiresAt}.`,
      },
      {
        check: 'The granted scopes match what Enginy approved',
        ok: true,
        detail: `Granted: ${scopes.join(' ') || '(none)'}.`,
      },
    ],
  };
}
