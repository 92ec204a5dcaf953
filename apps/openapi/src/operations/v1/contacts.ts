import {
  createContact,
  getContact,
  searchContacts,
  updateContact,
  type ContactInput,
} from '@enginy/db/queries/domain/contacts';
import { existingIds } from '@enginy/db/queries/domain/ownership';
import { apiError, invalidReference, notFound } from '../../errors.ts';
import { ListEnvelope, SuccessEnvelope, success } from '../../schemas/common.ts';
import {
  Contact,
  ContactParams,
  ContactSearchBody,
  CreateContactBody,
  UpdateContactBody,
} from '../../schemas/contacts.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';

const TAG = 'Contacts';

export function contactOperations({ db }: OperationDeps): Operation[] {
  /** 422 when the body names a company or CRM owner the workspace does not have. */
  async function checkReferences(workspaceId: string, input: ContactInput): Promise<void> {
    if (input.companyId && !(await existingIds(db, 'companies', workspaceId, [input.companyId])).has(input.companyId)) {
      throw invalidReference('companyId', 'Company');
    }
    if (input.ownerId && !(await existingIds(db, 'crm_owners', workspaceId, [input.ownerId])).has(input.ownerId)) {
      throw invalidReference('ownerId', 'CRM owner');
    }
  }

  return [
    defineOperation({
      method: 'POST',
      path: '/v1/contacts/search',
      summary: 'Search contacts',
      description:
        'Search contacts with advanced filters (name/email/title text, company, list, owner, country, email status, CRM, creation dates), newest first, paginated.',
      tag: TAG,
      scope: 'CONTACTS_READ',
      perMinute: 60,
      body: ContactSearchBody,
      response: ListEnvelope(Contact),
      handler: async (principal, input) => {
        const { filters = {}, page, pageSize } = input.body;
        return searchContacts(db, principal.workspaceId, filters, { page, pageSize });
      },
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/contacts/{contactId}',
      summary: 'Get contact',
      description: 'One contact with its company.',
      tag: TAG,
      scope: 'CONTACTS_READ',
      perMinute: 120,
      params: ContactParams,
      response: SuccessEnvelope(Contact),
      errors: ['not_found'],
      handler: async (principal, input) => {
        const contact = await getContact(db, principal.workspaceId, input.params.contactId);
        if (!contact) throw notFound('Contact');
        return success('Contact retrieved', contact);
      },
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/contacts',
      summary: 'Create contact',
      description:
        'Creates a contact. A professional email already used by another contact of the workspace is a conflict (409).',
      tag: TAG,
      scope: 'CONTACTS_WRITE',
      perMinute: 60,
      body: CreateContactBody,
      response: SuccessEnvelope(Contact),
      status: 201,
      errors: ['conflict', 'invalid_reference'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        await checkReferences(workspaceId, input.body);
        const contact = await createContact(db, workspaceId, input.body);
        if (!contact) throw apiError('conflict', 'A contact with this professional email already exists');
        return success('Contact created', contact);
      },
    }),

    defineOperation({
      method: 'PATCH',
      path: '/v1/contacts/{contactId}',
      summary: 'Update contact',
      description: 'Changes the given fields of a contact; fields left out keep their value, `null` clears one.',
      tag: TAG,
      scope: 'CONTACTS_WRITE',
      perMinute: 60,
      params: ContactParams,
      body: UpdateContactBody,
      response: SuccessEnvelope(Contact),
      errors: ['not_found', 'conflict', 'invalid_reference'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        await checkReferences(workspaceId, input.body);
        const contact = await updateContact(db, workspaceId, input.params.contactId, input.body);
        if (!contact) throw notFound('Contact');
        return success('Contact updated', contact);
      },
    }),
  ];
}
