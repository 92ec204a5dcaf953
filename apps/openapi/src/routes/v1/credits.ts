import { getCredits } from '@enginy/db/queries/domain/workspace-resources';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/gate.ts';
import { notFound } from '../../errors.ts';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { Credits } from '../../schemas/workspace.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';

export const creditsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.get(
    '/v1/credits',
    operation({
      summary: 'Get credits',
      description: "The workspace's credit balance, monthly plan and add-on credits and the next renewal date.",
      tag: 'Workspace',
      scope: 'WORKSPACE_READ',
      perMinute: 600,
      response: SuccessEnvelope(Credits),
      errors: ['not_found'],
    }),
    async (request) => {
      const credits = await getCredits(db, principalOf(request).workspaceId);
      if (!credits) throw notFound('Credits');
      return success('Credits retrieved', credits);
    },
  );
};
