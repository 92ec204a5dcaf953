import { createAction, getAction } from '@enginy/db/queries/domain/actions';
import { spendCredits } from '@enginy/db/queries/domain/workspace-resources';
import { apiError, notFound } from '../../errors.ts';
import { Action, ActionParams, StartActionBody } from '../../schemas/actions.ts';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';
import { requireContacts } from './references.ts';

const TAG = 'Actions';

export function actionOperations({ db, actions }: OperationDeps): Operation[] {
  return [
    defineOperation({
      method: 'POST',
      path: '/v1/actions',
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
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        const { type, contactIds } = input.body;
        await requireContacts(db, workspaceId, contactIds);
        const action = await db.transaction().execute(async (trx) => {
          if (!(await spendCredits(trx, workspaceId, contactIds.length))) {
            throw apiError('insufficient_credits', `${type} needs ${contactIds.length} credits; the balance is lower`);
          }
          return createAction(trx, workspaceId, type, contactIds);
        });
        actions.enqueue(action.actionsId);
        return success('Action started', action);
      },
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/actions/{actionsId}/status',
      summary: 'Get action status',
      description: 'Where a started action is (PENDING, RUNNING, COMPLETED, FAILED) and, once done, its result.',
      tag: TAG,
      scope: 'ACTIONS_READ',
      perMinute: 120,
      params: ActionParams,
      response: SuccessEnvelope(Action),
      errors: ['not_found'],
      handler: async (principal, input) => {
        const action = await getAction(db, principal.workspaceId, input.params.actionsId);
        if (!action) throw notFound('Action');
        return success(`Action is ${action.status}`, action);
      },
    }),
  ];
}
