import {
  createContact,
  getContact,
  searchContacts,
  updateContact,
  type ContactInput,
} from '@enginy/db/queries/domain/contacts';
import { existingIds } from '@enginy/db/queries/domain/ownership';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/gate.ts';
import { apiError, invalidReference, notFound } from '../../errors.ts';
import { ListEnvelope, SuccessEnvelope, success } from '../../schemas/common.ts';
import {
  Contact,
  ContactParams,
  ContactSearchBody,
  CreateContactBody,
  UpdateContactBody,
} from '../../schemas/contacts.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';

const TAG = 'Contacts';

export const contactRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  /** 422 when the body names a company or CRM owner the workspace does not have. */
  async function checkReferences(workspaceId: string, input: ContactInput): Promise<void> {
    if (input.companyId && !(await existingIds(db, 'companies', workspaceId, [input.companyId])).has(input.companyId)) {
      throw invalidReference('companyId', 'Company');
    }
    if (input.ownerId && !(await existingIds(db, 'crm_owners', workspaceId, [input.ownerId])).has(input.ownerId)) {
      throw invalidReference('ownerId', 'CRM owner');
    }
  }

  app.post(
    '/v1/contacts/search',
    operation({
      summary: 'Search contacts',
      description:
        'Search contacts with advanced filters (name/email/title text, company, list, owner, country, email status, CRM, creation dates), newest first, paginated.',
      tag: TAG,
      scope: 'CONTACTS_READ',
      perMinute: 60,
      body: ContactSearchBody,
      response: ListEnvelope(Contact),
    }),
    async (request) => {
      const { filters = {}, page, pageSize } = request.body;
      return searchContacts(db, principalOf(request).workspaceId, filters, { page, pageSize });
    },
  );

  app.get(
    '/v1/contacts/:contactId',
    operation({
      summary: 'Get contact',
      description: 'One contact with its company.',
      tag: TAG,
      scope: 'CONTACTS_READ',
      perMinute: 120,
      params: ContactParams,
      response: SuccessEnvelope(Contact),
      errors: ['not_found'],
    }),
    async (request) => {
      const contact = await getContact(db, principalOf(request).workspaceId, request.params.contactId);
      if (!contact) throw notFound('Contact');
      return success('Contact retrieved', contact);
    },
  );

  app.post(
    '/v1/contacts',
    operation({
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
    }),
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      await checkReferences(workspaceId, request.body);
      const contact = await createContact(db, workspaceId, request.body);
      if (!contact) throw apiError('conflict', 'A contact with this professional email already exists');
      return reply.code(201).send(success('Contact created', contact));
    },
  );

  app.patch(
    '/v1/contacts/:contactId',
    operation({
      summary: 'Update contact',
      description: 'Changes the given fields of a contact; fields left out keep their value, `null` clears one.',
      tag: TAG,
      scope: 'CONTACTS_WRITE',
      perMinute: 60,
      params: ContactParams,
      body: UpdateContactBody,
      response: SuccessEnvelope(Contact),
      errors: ['not_found', 'conflict', 'invalid_reference'],
    }),
    async (request) => {
      const { workspaceId } = principalOf(request);
      await checkReferences(workspaceId, request.body);
      const contact = await updateContact(db, workspaceId, request.params.contactId, request.body);
      if (!contact) throw notFound('Contact');
      return success('Contact updated', contact);
    },
  );
};
