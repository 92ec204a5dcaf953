// The steps of each connection (flow_steps, migration 0013), for the console's flows.
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { FlowStepName } from '../schema/flows.ts';

export interface NewFlowStep {
  step: FlowStepName;
  clientId?: string | null;
  requestId?: string | null;
  grantId?: string | null;
  workspaceId?: string | null;
  source?: string | null;
  userAgent?: string | null;
  sent: Record<string, string | string[] | undefined>;
  status: number;
  error?: string | null;
  description?: string | null;
  reason?: string | null;
  hint?: string | null;
  /** The failure-lab scenarios in force for this step's request (`pnpm lab`). */
  scenarios?: readonly string[];
}

// Most of a step comes from unauthenticated requests: like auth_events (apps/auth/src/audit.ts),
// every string is cut and every list shortened, so a step stays well under a few kilobytes whatever
// a caller sends.
const MAX_TEXT = 512;
const MAX_ITEMS = 32;
const cut = (text: string | null | undefined) =>
  text === null || text === undefined
    ? null
    : text.length <= MAX_TEXT
      ? text
      : `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)`;
const isUuid = (value: string | null | undefined) =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

function boundedSent(sent: NewFlowStep['sent']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(sent).slice(0, MAX_ITEMS)) {
    if (value === undefined) continue;
    kept[name] = Array.isArray(value)
      ? value.slice(0, MAX_ITEMS).map((item) => cut(String(item)) ?? '')
      : (cut(value) ?? '');
  }
  return kept;
}

/** Records one step; ids that are not UUIDs (a caller's garbage) are dropped rather than refused. */
export async function recordFlowStep(db: Db, step: NewFlowStep): Promise<void> {
  await db
    .insertInto('flow_steps')
    .values({
      step: step.step,
      client_id: cut(step.clientId),
      request_id: isUuid(step.requestId) ? (step.requestId as string) : null,
      grant_id: isUuid(step.grantId) ? (step.grantId as string) : null,
      workspace_id: isUuid(step.workspaceId) ? (step.workspaceId as string) : null,
      source: cut(step.source),
      user_agent: cut(step.userAgent),
      sent: JSON.stringify(boundedSent(step.sent)),
      status: step.status,
      error: cut(step.error)?.slice(0, 64) ?? null,
      description: cut(step.description),
      reason: cut(step.reason)?.slice(0, 64) ?? null,
      hint: cut(step.hint),
      scenarios: (step.scenarios ?? []).slice(0, MAX_ITEMS).map((name) => name.slice(0, 64)),
    })
    // The sign-in step is once per request (a unique index): a reopened consent page adds nothing.
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * The first MCP use of each grant in a usage flush, in the flush's own transaction: one statement
 * per flush (every 2 s), never one per call. A grant that already has its step is skipped by the
 * unique index, so "first" is the grant's first flush. The tools are those of that flush.
 */
export async function recordFirstMcpSteps(
  db: Db,
  lastUsed: ReadonlyMap<string, Date>,
  toolsByGrant: ReadonlyMap<string, string[]>,
): Promise<void> {
  if (lastUsed.size === 0) return;
  const ids = [...lastUsed.keys()];
  const times = [...lastUsed.values()];
  const tools = ids.map((id) => JSON.stringify({ tools: (toolsByGrant.get(id) ?? []).slice(0, MAX_ITEMS) }));
  await sql`insert into flow_steps (at, step, client_id, grant_id, workspace_id, sent, status)
    select used.at, 'mcp', g.client_id, g.id, g.workspace_id, used.sent::jsonb, 200
    from unnest(${ids}::uuid[], ${times}::timestamptz[], ${tools}::text[]) as used(id, at, sent)
    join oauth_grants g on g.id = used.id
    where not exists (select 1 from flow_steps f where f.step = 'mcp' and f.grant_id = used.id)
    on conflict do nothing`.execute(db);
}

/** The tools each grant called in a flush. */
export function toolsByGrant(usage: readonly { grantId: string; tool: string }[]): Map<string, string[]> {
  const tools = new Map<string, string[]>();
  for (const { grantId, tool } of usage) tools.set(grantId, [...(tools.get(grantId) ?? []), tool]);
  return tools;
}

export type FlowStepRow = Awaited<ReturnType<typeof stepsOf>>[number];

const STEP_COLUMNS = [
  'id',
  'at',
  'step',
  'client_id',
  'request_id',
  'grant_id',
  'workspace_id',
  'source',
  'user_agent',
  'sent',
  'status',
  'error',
  'description',
  'reason',
  'hint',
  'scenarios',
] as const;

function stepsOf(db: Db, since: Date, where: { requestIds: string[]; grantIds: string[] }) {
  return db
    .selectFrom('flow_steps')
    .select(STEP_COLUMNS)
    .where('at', '>', since)
    .where((eb) =>
      eb.or([
        ...(where.requestIds.length > 0 ? [eb('request_id', 'in', where.requestIds)] : []),
        ...(where.grantIds.length > 0 ? [eb('grant_id', 'in', where.grantIds)] : []),
        eb.val(false),
      ]),
    )
    .orderBy('id')
    .execute();
}

export interface FlowStepsQuery {
  since: Date;
  clientId?: string;
  /** The most flows (requests or grants) to consider, newest first. */
  maxFlows: number;
}

/**
 * Everything the console needs to assemble a workspace's flows: the steps of the newest requests
 * and grants that reached the workspace (a step recorded for it), the refusals at /authorize of the
 * clients its admins pre-registered (as the attempts list shows them), and the registration and
 * discovery steps that may belong to them. Which of those really join a flow, and whose flow it
 * is, is decided by the caller (apps/auth/src/flows/assemble.ts).
 */
export async function flowStepsForWorkspace(db: Db, workspaceId: string, query: FlowStepsQuery) {
  let keys = db
    .selectFrom('flow_steps')
    .select(['request_id', 'grant_id', sql<string>`max(id)`.as('newest')])
    .where('workspace_id', '=', workspaceId)
    .where('at', '>', query.since)
    .groupBy(['request_id', 'grant_id'])
    .orderBy('newest', 'desc')
    .limit(query.maxFlows);
  if (query.clientId !== undefined) keys = keys.where('client_id', '=', query.clientId);
  const anchors = await keys.execute();
  const requestIds = new Set(anchors.flatMap((a) => (a.request_id === null ? [] : [a.request_id])));
  const grantIds = new Set(anchors.flatMap((a) => (a.grant_id === null ? [] : [a.grant_id])));
  const first = await stepsOf(db, query.since, { requestIds: [...requestIds], grantIds: [...grantIds] });
  // A grant's token step names its request: fetch that request's steps too (and the reverse).
  const moreRequests = first.flatMap((s) =>
    s.request_id !== null && !requestIds.has(s.request_id) ? [s.request_id] : [],
  );
  const moreGrants = first.flatMap((s) => (s.grant_id !== null && !grantIds.has(s.grant_id) ? [s.grant_id] : []));
  const second =
    moreRequests.length + moreGrants.length === 0
      ? []
      : await stepsOf(db, query.since, { requestIds: [...new Set(moreRequests)], grantIds: [...new Set(moreGrants)] });
  const known = new Set(first.map((s) => s.id));
  const steps = [...first, ...second.filter((s) => !known.has(s.id))];

  let early = db
    .selectFrom('flow_steps')
    .innerJoin('oauth_clients', 'oauth_clients.id', 'flow_steps.client_id')
    .select(STEP_COLUMNS.map((column) => `flow_steps.${column}` as const))
    .where('flow_steps.step', '=', 'authorize')
    .where('flow_steps.request_id', 'is', null)
    .where('flow_steps.at', '>', query.since)
    .where('oauth_clients.kind', '=', 'preregistered')
    .where('oauth_clients.workspace_id', '=', workspaceId)
    .orderBy('flow_steps.id', 'desc')
    .limit(query.maxFlows);
  if (query.clientId !== undefined) early = early.where('flow_steps.client_id', '=', query.clientId);
  const refusedEarly = await early.execute();

  const clientIds = [
    ...new Set([...steps, ...refusedEarly].flatMap((s) => (s.client_id === null ? [] : [s.client_id]))),
  ];
  const registrations = await stepsMatching(db, 'register', 'client_id', clientIds, query.since);
  // Discovery names no client: it can only be matched by the caller's address (and user agent).
  const sources = [...new Set([...steps, ...registrations].flatMap((s) => (s.source === null ? [] : [s.source])))];
  const discoveries = await stepsMatching(db, 'discovery', 'source', sources, query.since);
  const names =
    clientIds.length === 0
      ? []
      : await db.selectFrom('oauth_clients').select(['id', 'name']).where('id', 'in', clientIds).execute();
  return {
    steps,
    refusedEarly,
    registrations,
    discoveries,
    clientNames: new Map(names.map((n) => [n.id, n.name])),
  };
}

/** Deletes steps recorded before `before` (the same 90 days as auth_events); returns how many. */
export async function purgeFlowSteps(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('flow_steps').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The steps of one kind since `since` whose `column` is one of `values`, oldest first; none asked, none read. */
async function stepsMatching(
  db: Db,
  step: FlowStepName,
  column: 'client_id' | 'source',
  values: string[],
  since: Date,
): Promise<FlowStepRow[]> {
  if (values.length === 0) return [];
  return db
    .selectFrom('flow_steps')
    .select(STEP_COLUMNS)
    .where('step', '=', step)
    .where(column, 'in', values)
    .where('at', '>', since)
    .orderBy('id')
    .execute();
}
