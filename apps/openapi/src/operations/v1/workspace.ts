import { listCrmOwners, listSenderIdentities } from '@enginy/db/queries/domain/workspace-resources';
import { Type } from 'typebox';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { CrmOwner, SenderIdentity } from '../../schemas/workspace.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';

export function workspaceOperations({ db }: OperationDeps): Operation[] {
  return [
    defineOperation({
      method: 'GET',
      path: '/v1/sender-identities',
      summary: 'List sender identities',
      description:
        'The mailboxes and LinkedIn accounts the workspace sends from, with their channels and daily limits.',
      tag: 'Workspace',
      scope: 'IDENTITIES_READ',
      perMinute: 60,
      response: SuccessEnvelope(Type.Array(SenderIdentity)),
      handler: async (principal) =>
        success('Sender identities retrieved', await listSenderIdentities(db, principal.workspaceId)),
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/tasks/owners',
      summary: 'List CRM owners',
      description: 'The CRM owners that contacts and tasks can be assigned to.',
      tag: 'Workspace',
      scope: 'OWNERS_READ',
      perMinute: 60,
      response: SuccessEnvelope(Type.Array(CrmOwner)),
      handler: async (principal) => success('CRM owners retrieved', await listCrmOwners(db, principal.workspaceId)),
    }),
  ];
}
