import type { Db } from '@enginy/db/client';
import { findConnectionNames } from '@enginy/db/queries/oauth-grants';
import { cleanClientName } from '@enginy/policy/client-name';
import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labScenariosInForce } from '@enginy/policy/failure-lab';
import { grantCut } from '@enginy/policy/grant-cut';
import type { ActiveAccessToken } from './token-lookups.ts';

export const WHOAMI_TOOL = {
  name: 'mcp_whoami',
  title: 'Who am I',
  description:
    'Verify the connection: returns the authenticated user, workspace and client, the granted scopes and what they allow under ' +
    "today's workspace policy, the token's expiry, and a checklist (server reachable, OAuth completed, bearer token accepted, " +
    'granted scopes match what the workspace approves).',
  inputSchema: { type: 'object' as const, properties: {}, additionalProperties: false },
  annotations: {
    title: 'Who am I',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
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
  /** Failure-lab scenarios in force for this connection (`pnpm lab`); absent while none is. */
  failureLab?: { scenario: string; scope: 'global' | 'this workspace'; options: Record<string, number> }[];
}

type Names = Awaited<ReturnType<typeof findConnectionNames>>;

const NAMES_TTL_MS = 60_000;
const NAMES_MAX = 1_000;

/**
 * The display names behind a token's ids, kept a minute: they are labels, not decisions (scopes and
 * policy always come live with the token), and sparing their query halves a whoami's round trips.
 */
export class ConnectionNames {
  private readonly entries = new Map<string, { names: Promise<Names>; until: number }>();

  constructor(private readonly db: Db) {}

  get(token: ActiveAccessToken): Promise<Names> {
    const key = `${token.userId} ${token.workspaceId} ${token.clientId}`;
    const hit = this.entries.get(key);
    if (hit !== undefined && Date.now() < hit.until) return hit.names;
    if (this.entries.size >= NAMES_MAX) this.entries.clear();
    const names = findConnectionNames(this.db, token);
    this.entries.set(key, { names, until: Date.now() + NAMES_TTL_MS });
    names.catch(() => this.entries.delete(key));
    return names;
  }
}

/** Enginy's "verify the connection" step as data. Only reachable with an accepted token. */
export async function whoami(
  names: ConnectionNames,
  token: ActiveAccessToken,
  lab: readonly LabSwitchRow[] = [],
): Promise<WhoamiResult> {
  const labels = await names.get(token);
  const policyScopes = token.policyScopes;
  // Granted scopes the workspace no longer approves (the admin narrowed the policy since).
  const beyondPolicy = grantCut(token.grantedScopes, token.effectiveScopes);
  const result: WhoamiResult = {
    user: { id: token.userId, email: labels?.email ?? '', name: labels?.userName ?? '' },
    workspace: { id: token.workspaceId, slug: labels?.slug ?? '', name: labels?.workspaceName ?? '' },
    // A stored name may predate the cleaning of client names: shown as the consent page shows it.
    client: {
      id: token.clientId,
      name: labels?.clientName == null ? null : cleanClientName(labels.clientName, token.clientId),
    },
    grantedScopes: token.grantedScopes,
    effectiveScopes: token.effectiveScopes,
    policyScopes,
    tokenExpiresAt: token.expiresAt.toISOString(),
    checks: [
      { check: 'The hosted MCP server is reachable', ok: true, detail: 'This answer came from it.' },
      {
        check: 'OAuth completed successfully',
        ok: true,
        detail: `Grant ${token.grantId} for client ${token.clientId}.`,
      },
      {
        check: 'The client is sending the correct bearer token',
        ok: true,
        detail: `Accepted; it expires at ${token.expiresAt.toISOString()}.`,
      },
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
  // So that nobody debugs a failure they switched on and forgot: said here, and as a failed check.
  const inForce = labScenariosInForce(lab, token.workspaceId);
  if (inForce.length === 0) return result;
  const listed = inForce.map((entry) => ({
    scenario: entry.scenario,
    scope: entry.workspaceId === null ? ('global' as const) : ('this workspace' as const),
    options: entry.options,
  }));
  result.failureLab = listed;
  result.checks.push({
    check: 'No failure-lab scenario is switched on',
    ok: false,
    detail: `In force: ${listed.map((entry) => entry.scenario).join(', ')}. Switch them off with: pnpm lab off --all`,
  });
  return result;
}
