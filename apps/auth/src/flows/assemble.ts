import type { Flow, FlowStep } from '@enginy/contracts/flows';
import type { flowStepsForWorkspace, FlowStepRow } from '@enginy/db/queries/flow-steps';
import type { Static } from 'typebox';
import { reasonMessage } from '../console/reasons.ts';

type Found = Awaited<ReturnType<typeof flowStepsForWorkspace>>;
type WireFlow = Static<typeof Flow>;
type WireStep = Static<typeof FlowStep>;

/** Discovery this long before a flow's first step, from the same caller, is that flow's discovery. */
const DISCOVERY_WINDOW_MS = 5 * 60 * 1000;
/** Discovery may be the only step a client takes before /authorize: it never ends a flow. */
const isFailure = (row: FlowStepRow) => row.error !== null || row.status >= 400;

interface Group {
  id: string;
  rows: FlowStepRow[];
}

/**
 * The workspace's flows from the steps found for it (queries/flow-steps.ts): steps are joined by what
 * really links them. An authorization request's steps (authorize, sign-in, consent, token) share its
 * id; the token exchange names the grant it created, whose refreshes, first MCP call and revocation
 * follow. A flow belongs to the workspace its latest step was for (the user may switch workspaces on
 * the consent page). Before that, a registration joins the first flow of its client after it, and
 * discovery (which names no client) the next flow from the same address and user agent.
 */
export function assembleFlows(found: Found, workspaceId: string): WireFlow[] {
  const requestOfGrant = new Map<string, string>();
  for (const row of found.steps)
    if (row.step === 'token' && row.request_id !== null && row.grant_id !== null)
      requestOfGrant.set(row.grant_id, row.request_id);
  const groups = new Map<string, Group>();
  const add = (id: string, row: FlowStepRow) => {
    const group = groups.get(id) ?? { id, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  };
  for (const row of found.steps) {
    const request = row.request_id ?? (row.grant_id === null ? undefined : requestOfGrant.get(row.grant_id));
    if (request !== undefined) add(request, row);
    else if (row.grant_id !== null) add(`grant:${row.grant_id}`, row);
  }
  const owned = [...groups.values()].filter((group) => {
    const withWorkspace = group.rows.filter((row) => row.workspace_id !== null);
    return withWorkspace.at(-1)?.workspace_id === workspaceId;
  });
  // Refused at /authorize before any request existed: the workspace's own pre-registered client.
  for (const row of found.refusedEarly) owned.push({ id: `authorize:${row.id}`, rows: [row] });

  const byStart = owned
    .map((group) => ({ ...group, rows: sorted(group.rows) }))
    .sort((a, b) => time(a.rows[0]) - time(b.rows[0]));
  const claimed = new Set<string>();
  for (const group of byStart) {
    const start = time(group.rows[0]);
    const clientId = group.rows.find((row) => row.client_id !== null)?.client_id ?? null;
    const registration = found.registrations
      .filter((row) => row.client_id === clientId && time(row) <= start && !claimed.has(row.id))
      .at(-1);
    if (registration !== undefined) {
      claimed.add(registration.id);
      group.rows.unshift(registration);
    }
    const callers = new Set(
      group.rows.filter((row) => row.step !== 'mcp').map((row) => `${row.source}\u0000${row.user_agent}`),
    );
    const first = time(group.rows[0]);
    const discovery = found.discoveries.filter(
      (row) =>
        !claimed.has(row.id) &&
        callers.has(`${row.source}\u0000${row.user_agent}`) &&
        time(row) <= first &&
        time(row) >= first - DISCOVERY_WINDOW_MS,
    );
    for (const row of discovery) claimed.add(row.id);
    group.rows = sorted([...discovery, ...group.rows]);
  }
  return byStart.reverse().map((group) => toFlow(group, found.clientNames));
}

function time(row: FlowStepRow | undefined): number {
  return row === undefined ? 0 : row.at.getTime();
}

function sorted(rows: FlowStepRow[]): FlowStepRow[] {
  return [...rows].sort((a, b) => time(a) - time(b) || Number(a.id) - Number(b.id));
}

function toFlow(group: Group, names: ReadonlyMap<string, string>): WireFlow {
  const clientId = group.rows.find((row) => row.client_id !== null)?.client_id ?? null;
  const last = group.rows.filter((row) => row.step !== 'discovery').at(-1);
  const revoked = group.rows.some((row) => row.step === 'revoke' && row.grant_id !== null && !isFailure(row));
  // A refresh or an MCP call also means tokens were issued (a grant older than the flows has no token step).
  const connected = group.rows.some((row) => ['token', 'refresh', 'mcp'].includes(row.step) && !isFailure(row));
  const stopped = !revoked && last !== undefined && isFailure(last) ? last : undefined;
  return {
    id: group.id,
    client: { id: clientId, name: clientId === null ? null : (names.get(clientId) ?? clientId) },
    startedAt: (group.rows[0]?.at ?? new Date(0)).toISOString(),
    outcome: revoked ? 'revoked' : stopped ? 'stopped' : connected ? 'connected' : 'pending',
    stoppedAt: stopped === undefined ? null : stopOf(stopped, group.rows),
    steps: group.rows.map(toStep),
  };
}

/**
 * Where a flow stopped, in the attempts list's words (console/reasons.ts) and with its fix: the
 * decision's own hint (the consent page's, e.g. the exact URI to allow), else what the server said.
 */
function stopOf(row: FlowStepRow, rows: FlowStepRow[]): WireFlow['stoppedAt'] {
  // A refused consent POST repeats the view's refusal, whose step holds the reason and the hint.
  const explained = row.reason === null ? rows.filter((r) => r.step === row.step && r.reason !== null).at(-1) : row;
  const reason = explained?.reason ?? row.reason ?? row.error;
  return {
    step: row.step,
    reason,
    message: reason === null ? (row.description ?? `HTTP ${row.status}`) : reasonMessage(reason),
    fix: explained?.hint ?? row.description,
  };
}

function toStep(row: FlowStepRow): WireStep {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    step: row.step,
    sent: row.sent as WireStep['sent'],
    userAgent: row.user_agent,
    status: row.status,
    error: row.error,
    description: row.description,
    fix: row.hint,
    scenarios: row.scenarios,
  };
}
