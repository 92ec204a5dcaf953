import { getContact } from '@enginy/db/queries/domain/contacts';
import { listContactMessages, listThreads, sendMessage } from '@enginy/db/queries/domain/inbox';
import { listSenderIdentities } from '@enginy/db/queries/domain/workspace-resources';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/gate.ts';
import { apiError, invalidReference, notFound } from '../../errors.ts';
import { ListEnvelope, PageQuery, SuccessEnvelope, success } from '../../schemas/common.ts';
import { InboxContactParams, InboxMessage, InboxThread, SendMessageBody, ThreadQuery } from '../../schemas/inbox.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';

const TAG = 'Inbox';

export const inboxRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.get(
    '/v1/inboxes',
    operation({
      summary: 'List inbox threads',
      description:
        'Inbox threads, one per contact, most recent activity first; filter by text, sender identity, or archived threads.',
      tag: TAG,
      scope: 'MESSAGING_READ',
      perMinute: 60,
      querystring: ThreadQuery,
      response: ListEnvelope(InboxThread),
    }),
    async (request) => {
      const { page, pageSize, ...filters } = request.query;
      return listThreads(db, principalOf(request).workspaceId, filters, { page, pageSize });
    },
  );

  app.get(
    '/v1/inboxes/:contactId/messages',
    operation({
      summary: 'Get inbox contact messages',
      description: "A contact's messages across sender identities and channels, newest first, paginated.",
      tag: TAG,
      scope: 'MESSAGING_READ',
      perMinute: 60,
      params: InboxContactParams,
      querystring: PageQuery,
      response: ListEnvelope(InboxMessage),
      errors: ['not_found'],
    }),
    async (request) => {
      const { workspaceId } = principalOf(request);
      if (!(await getContact(db, workspaceId, request.params.contactId))) throw notFound('Contact');
      return listContactMessages(db, workspaceId, request.params.contactId, request.query);
    },
  );

  app.post(
    '/v1/inbox/messages',
    operation({
      summary: 'Send inbox message',
      description:
        'Sends a message to a contact from a sender identity, by EMAIL or LINKEDIN. Give a `requestId` to make it idempotent: ' +
        'the same requestId again returns the first result and sends nothing; reusing it for a different message is a 409. ' +
        'A 422 names the field that breaks a rule about the stored rows: the type must be a channel of the sender identity, ' +
        'an EMAIL needs a contact with a professional email, and a LINKEDIN message has no subject.',
      tag: TAG,
      scope: 'MESSAGING_WRITE',
      perMinute: 30,
      body: SendMessageBody,
      response: SuccessEnvelope(InboxMessage),
      status: 201,
      errors: ['invalid_reference', 'idempotency_key_reused'],
    }),
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      const { contactId, senderIdentityId, type, subject, message, requestId } = request.body;
      const contact = await getContact(db, workspaceId, contactId);
      if (!contact) throw invalidReference('contactId', 'Contact');
      const identity = (await listSenderIdentities(db, workspaceId)).find(
        (candidate) => candidate.id === senderIdentityId,
      );
      if (!identity) throw invalidReference('senderIdentityId', 'Sender identity');
      if (!identity.channels.includes(type))
        throw apiError('validation_error', `type: sender identity "${identity.name}" cannot send ${type}`, [
          { path: 'type', message: `not a channel of this sender identity (${identity.channels.join(', ')})` },
        ]);
      if (type === 'EMAIL' && !contact.professionalEmail)
        throw apiError('validation_error', 'contactId: the contact has no professional email', [
          { path: 'contactId', message: 'has no professional email' },
        ]);
      if (type === 'LINKEDIN' && subject !== undefined)
        throw apiError('validation_error', 'subject: LinkedIn messages have no subject', [
          { path: 'subject', message: 'LinkedIn messages have no subject' },
        ]);

      const result = await sendMessage(db, workspaceId, {
        contactId,
        senderIdentityId,
        type,
        subject: subject ?? null,
        content: message,
        requestId: requestId ?? null,
      });
      if (result.kind === 'request_id_reused')
        throw apiError('idempotency_key_reused', 'requestId was already used for a different message');
      // A replay answers exactly like the first attempt did; only this header tells them apart.
      if (result.kind === 'replayed') reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(success('Message sent', result.message));
    },
  );
};
