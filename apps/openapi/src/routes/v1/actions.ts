import { createAction, getAction } from '@enginy/db/queries/domain/actions';
import { spendCredits } from '@enginy/db/queries/domain/workspace-resources';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/gate.ts';
import { apiError, notFound } from '../../errors.ts';
import { Action, ActionParams, StartActionBody } from '../../schemas/actions.ts';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';
import { requireContacts } from './references.ts';

const TAG = 'Actions';

export const actionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, actions }) => {
  app.post(
    '/v1/actions',
    operation({
      summary: 'Start action',
      description:
        'Starts a background action on contacts, e.g. VERIFY_LEAD_EMAIL (1 credit per contact), and answers 202 with its `actionsId` at once. ' +
        'Poll `GET /v1/actions/{actionsId}/status` until it is COMPLETED or FAILED.',
      tag: TAG,
      scope: 'ACTIONS_WRITE',
      perMinute: 20,
      body: StartActionBody,
      response: SuccessEnvelope(Action),
      status: 202,
      errors: ['invalid_reference', 'insufficient_credits'],
    }),
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      const { type, contactIds } = request.body;
      await requireContacts(db, workspaceId, contactIds);
      const action = await db.transaction().execute(async (trx) => {
        if (!(await spendCredits(trx, workspaceId, contactIds.length))) {
          throw apiError('insufficient_credits', `${type} needs ${contactIds.length} credits; the balance is lower`);
        }
        return createAction(trx, workspaceId, type, contactIds);
      });
      actions.enqueue(action.actionsId);
      return reply.code(202).send(success('Action started', action));
    },
  );

  app.get(
    '/v1/actions/:actionsId/status',
    operation({
      summary: 'Get action status',
      description: 'Where a started action is (PENDING, RUNNING, COMPLETED, FAILED) and, once done, its result.',
      tag: TAG,
      scope: 'ACTIONS_READ',
      perMinute: 120,
      params: ActionParams,
      response: SuccessEnvelope(Action),
      errors: ['not_found'],
    }),
    async (request) => {
      const action = await getAction(db, principalOf(request).workspaceId, request.params.actionsId);
      if (!action) throw notFound('Action');
      return success(`Action is ${action.status}`, action);
    },
  );
};
