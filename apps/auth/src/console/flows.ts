import { WorkspaceParams } from '@enginy/contracts/console';
import { FLOW_OUTCOMES, FlowList, FlowQuery } from '@enginy/contracts/flows';
import { flowStepsForWorkspace } from '@enginy/db/queries/flow-steps';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assembleFlows } from '../flows/assemble.ts';
import { auditKeptSince } from '../jobs/purge-expired.ts';
import { callerOf } from './access.ts';
import type { ConsoleDeps } from './deps.ts';
import { ValidationFailed } from '../errors/classes.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Requests and grants considered per answer: bounds the work whatever the filters keep. */
const MAX_CANDIDATES = 500;

/** Empty means "no filter", like absent (the schema has already refused a repeated parameter). */
const filter = (value: string | undefined) => (value === '' ? undefined : value);
const isOutcome = (value: string): value is (typeof FLOW_OUTCOMES)[number] =>
  (FLOW_OUTCOMES as readonly string[]).includes(value);

/**
 * GET /console/workspaces/:id/flows: each connection attributable to the workspace as one flow, from
 * discovery to its first tool call, newest first; filterable by client and outcome. What a workspace
 * sees is what its attempts list sees (queries/flow-steps.ts), within the same 90 days.
 */
export const flowRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { config, db, access }) => {
  app.get(
    '/console/workspaces/:id/flows',
    {
      preValidation: access.member,
      schema: { params: WorkspaceParams, querystring: FlowQuery, response: { 200: FlowList } },
    },
    async (request, reply) => {
      const outcome = filter(request.query.outcome);
      if (outcome !== undefined && !isOutcome(outcome))
        throw new ValidationFailed('outcome', outcome, `must be one of ${FLOW_OUTCOMES.join(', ')}`);
      const limitText = filter(request.query.limit);
      const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new ValidationFailed('limit', limitText, `must be a whole number from 1 to ${MAX_LIMIT}`);
      const clientId = filter(request.query.clientId);
      const workspaceId = callerOf(request).workspace.id;
      const found = await flowStepsForWorkspace(db, workspaceId, {
        since: auditKeptSince(config),
        clientId,
        maxFlows: MAX_CANDIDATES,
      });
      const flows = assembleFlows(found, workspaceId)
        .filter((flow) => clientId === undefined || flow.client.id === clientId)
        .filter((flow) => outcome === undefined || flow.outcome === outcome)
        .slice(0, limit);
      return reply.header('cache-control', 'no-store').send({ flows });
    },
  );
};
