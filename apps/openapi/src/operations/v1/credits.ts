import { BatchedReads } from '@enginy/db/batched-reads';
import { getCreditsOf } from '@enginy/db/queries/domain/workspace-resources';
import { notFound } from '../../errors.ts';
import { SuccessEnvelope, success } from '../../schemas/common.ts';
import { Credits } from '../../schemas/workspace.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';

export function creditsOperations({ db }: OperationDeps): Operation[] {
  // Credits calls that arrive together share one query (the MCP tool is read at 50 connections).
  const credits = new BatchedReads((workspaceIds: string[]) => getCreditsOf(db, workspaceIds));
  return [
    defineOperation({
      method: 'GET',
      path: '/v1/credits',
      summary: 'Get credits',
      description: "The workspace's credit balance, monthly plan and add-on credits and the next renewal date.",
      tag: 'Workspace',
      scope: 'WORKSPACE_READ',
      perMinute: 600,
      response: SuccessEnvelope(Credits),
      errors: ['not_found'],
      handler: async (principal) => {
        const found = await credits.read(principal.workspaceId);
        if (!found) throw notFound('Credits');
        return success('Credits retrieved', found);
      },
    }),
  ];
}
