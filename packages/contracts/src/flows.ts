// GET /console/workspaces/:id/flows: each connection as one flow, from discovery to its first tool
// call, refreshes and revocation (apps/auth/src/console/flows.ts). Never a code, token or secret.
import { Type } from 'typebox';
import { MAX_FIELD_LENGTH } from './limits.ts';
import { Nullable, StringEnum, Timestamp } from './wire.ts';

export const FLOW_STEPS = [
  'discovery',
  'register',
  'authorize',
  'sign-in',
  'consent',
  'token',
  'refresh',
  'mcp',
  'revoke',
] as const;
/** connected: tokens were issued; stopped: the last step failed; revoked: the grant was revoked. */
export const FLOW_OUTCOMES = ['pending', 'stopped', 'connected', 'revoked'] as const;

const Filter = Type.Optional(Type.String({ maxLength: MAX_FIELD_LENGTH, errorMessage: 'must be given once, as text' }));
export const FlowQuery = Type.Object({ clientId: Filter, outcome: Filter, limit: Filter });

export const FlowStep = Type.Object({
  /** The step's own id, stable across refreshes of the page. */
  id: Type.String(),
  at: Timestamp,
  step: StringEnum(FLOW_STEPS),
  /** What the client sent: client_id, redirect_uri, scope, resource, code_challenge_method, grant_type… */
  sent: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  userAgent: Nullable(Type.String()),
  /** The answer. */
  status: Type.Integer(),
  error: Nullable(Type.String()),
  description: Nullable(Type.String()),
  /** A refusal's fix as the workspace's decision gave it (e.g. the URI to add to the allowlist). */
  fix: Nullable(Type.String()),
  /** The failure lab's scenarios in force at that step (none until the lab is merged). */
  scenarios: Type.Array(Type.String()),
});

export const Flow = Type.Object({
  id: Type.String(),
  client: Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  startedAt: Timestamp,
  outcome: StringEnum(FLOW_OUTCOMES),
  /** A stopped flow: the step that failed, the attempts list's reason and message, and the fix. */
  stoppedAt: Nullable(
    Type.Object({
      step: StringEnum(FLOW_STEPS),
      reason: Nullable(Type.String()),
      message: Type.String(),
      fix: Nullable(Type.String()),
    }),
  ),
  steps: Type.Array(FlowStep),
});
export const FlowList = Type.Object({ flows: Type.Array(Flow) });
