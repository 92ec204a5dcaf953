import {
  addListMembers,
  countListMembers,
  createList,
  listExists,
  listLists,
  removeListMembers,
} from '@enginy/db/queries/domain/lists';
import { apiError, notFound } from '../../errors.ts';
import { ListEnvelope, PageQuery, SuccessEnvelope, success } from '../../schemas/common.ts';
import { ContactIdsBody } from '../../schemas/contacts.ts';
import { ContactList, CreateListBody, ListParams, MembershipChange } from '../../schemas/lists.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';
import { requireContacts } from './references.ts';

const TAG = 'Lists';

export function listOperations({ db }: OperationDeps): Operation[] {
  /** The list must be the workspace's (404) and every contact too (422, pointing at the bad one). */
  async function checkMembership(workspaceId: string, listId: string, contactIds: string[]): Promise<void> {
    if (!(await listExists(db, workspaceId, listId))) throw notFound('List');
    await requireContacts(db, workspaceId, contactIds);
  }

  // Adding and removing members are the same operation but for the change they make.
  const memberships = [
    {
      path: '/v1/lists/{listId}/contacts',
      verb: 'added',
      change: addListMembers,
      summary: 'Add contacts to list',
      description: 'Adds up to 100 contacts to a list; contacts already in it are left as they are.',
    },
    {
      path: '/v1/lists/{listId}/contacts/remove',
      verb: 'removed',
      change: removeListMembers,
      summary: 'Remove contacts from list',
      description:
        'Removes up to 100 contacts from a list; contacts not in it are ignored. The contacts themselves are kept.',
    },
  ];
  return [
    defineOperation({
      method: 'GET',
      path: '/v1/lists',
      summary: 'List lists',
      description: 'Contact lists of the workspace with their member counts, by name, paginated.',
      tag: TAG,
      scope: 'LISTS_READ',
      perMinute: 60,
      querystring: PageQuery,
      response: ListEnvelope(ContactList),
      handler: async (principal, input) => listLists(db, principal.workspaceId, input.query),
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/lists',
      summary: 'Create list',
      description: 'Creates an empty contact list. Names are unique per workspace, ignoring case (409).',
      tag: TAG,
      scope: 'LISTS_WRITE',
      perMinute: 30,
      body: CreateListBody,
      response: SuccessEnvelope(ContactList),
      status: 201,
      errors: ['conflict'],
      handler: async (principal, input) => {
        const list = await createList(db, principal.workspaceId, input.body.name);
        if (!list) throw apiError('conflict', `A list named "${input.body.name}" already exists`);
        return success('List created', list);
      },
    }),

    ...memberships.map(({ path, verb, change, summary, description }) =>
      defineOperation({
        method: 'POST',
        path,
        summary,
        description,
        tag: TAG,
        scope: 'LISTS_WRITE',
        perMinute: 60,
        params: ListParams,
        body: ContactIdsBody,
        response: SuccessEnvelope(MembershipChange),
        errors: ['not_found', 'invalid_reference'],
        handler: async (principal, input) => {
          const { workspaceId } = principal;
          const { listId } = input.params;
          await checkMembership(workspaceId, listId, input.body.contactIds);
          const changed = await change(db, listId, input.body.contactIds);
          return success(`${changed} contacts ${verb}`, {
            listId,
            changed,
            memberCount: await countListMembers(db, listId),
          });
        },
      }),
    ),
  ];
}
