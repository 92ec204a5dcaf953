import type { OperationDeps } from './deps.ts';
import type { Operation } from './operation.ts';
import { actionOperations } from './v1/actions.ts';
import { campaignOperations } from './v1/campaigns.ts';
import { companyOperations } from './v1/companies.ts';
import { contactOperations } from './v1/contacts.ts';
import { creditsOperations } from './v1/credits.ts';
import { inboxOperations } from './v1/inbox.ts';
import { listOperations } from './v1/lists.ts';
import { workspaceOperations } from './v1/workspace.ts';

/**
 * Every operation of the API, in the order the document lists them (and the MCP server its tools).
 * The REST routes, the OpenAPI document and the MCP tools are all made from this one list.
 */
export function operationRegistry(deps: OperationDeps): readonly Operation[] {
  return [
    ...creditsOperations(deps),
    ...contactOperations(deps),
    ...companyOperations(deps),
    ...listOperations(deps),
    ...campaignOperations(deps),
    ...inboxOperations(deps),
    ...workspaceOperations(deps),
    ...actionOperations(deps),
  ];
}
