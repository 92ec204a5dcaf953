import { listCrmOwners, listSenderIdentities } from '@enginy/db/queries/domain/workspace-resources';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../auth/gate.ts';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { CrmOwner, SenderIdentity } from '../../schemas/workspace.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';

export const workspaceRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.get(
    '/v1/sender-identities',
    operation({
      summary: 'List sender identities',
      description:
        'The mailboxes and LinkedIn accounts the workspace sends from, with their channels and daily limits.',
      tag: 'Workspace',
      scope: 'IDENTITIES_READ',
      perMinute: 60,
      response: SuccessEnvelope(Type.Array(SenderIdentity)),
    }),
    async (request) =>
      success('Sender identities retrieved', await listSenderIdentities(db, principalOf(request).workspaceId)),
  );

  app.get(
    '/v1/tasks/owners',
    operation({
      summary: 'List CRM owners',
      description: 'The CRM owners that contacts and tasks can be assigned to.',
      tag: 'Workspace',
      scope: 'OWNERS_READ',
      perMinute: 60,
      response: SuccessEnvelope(Type.Array(CrmOwner)),
    }),
    async (request) => success('CRM owners retrieved', await listCrmOwners(db, principalOf(request).workspaceId)),
  );
};
