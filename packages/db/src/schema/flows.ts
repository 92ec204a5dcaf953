import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** The steps of a connection, in the order a client takes them. */
export type FlowStepName =
  | 'discovery'
  | 'register'
  | 'authorize'
  | 'sign-in'
  | 'consent'
  | 'token'
  | 'refresh'
  | 'mcp'
  | 'revoke';

/** One step of a connection (migration 0013): what the client sent and what it was answered. */
export interface FlowStepsTable {
  id: Generated<string>;
  at: ColumnType<Date, Date | undefined, never>;
  step: FlowStepName;
  client_id: string | null;
  request_id: string | null;
  grant_id: string | null;
  workspace_id: string | null;
  /** The caller's address (an IPv6 /64 as one): how discovery, which names no client, joins a flow. */
  source: string | null;
  user_agent: string | null;
  /** client_id, redirect_uri, scope, resource, code_challenge_method, grant_type… never a secret. */
  sent: JSONColumnType<Record<string, unknown>>;
  status: number;
  error: string | null;
  description: string | null;
  /** The audit reason (console/reasons.ts) and the fix the workspace's decision gave, if any. */
  reason: string | null;
  hint: string | null;
  scenarios: ColumnType<string[], string[] | undefined, never>;
}

export interface FlowTables {
  flow_steps: FlowStepsTable;
}
