import { getContact } from '@enginy/db/queries/domain/contacts';
import { listContactMessages, listThreads, sendMessage } from '@enginy/db/queries/domain/inbox';
import { listSenderIdentities } from '@enginy/db/queries/domain/workspace-resources';
import { apiError, invalidReference, notFound } from '../../errors.ts';
import { ListEnvelope, PageQuery, SuccessEnvelope, success } from '../../schemas/common.ts';
import { InboxContactParams, InboxMessage, InboxThread, SendMessageBody, ThreadQuery } from '../../schemas/inbox.ts';
import { defineOperation, type Operation, WithHeaders } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';

const TAG = 'Inbox';

export function inboxOperations({ db }: OperationDeps): Operation[] {
  return [
    defineOperation({
      method: 'GET',
      path: '/v1/inboxes',
      summary: 'List inbox threads',
      description:
        'Inbox threads, one per contact, most recent activity first; filter by text, sender identity, or archived threads.',
      tag: TAG,
      scope: 'MESSAGING_READ',
      perMinute: 60,
      querystring: ThreadQuery,
      response: ListEnvelope(InboxThread),
      handler: async (principal, input) => {
        const { page, pageSize, ...filters } = input.query;
        return listThreads(db, principal.workspaceId, filters, { page, pageSize });
      },
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/inboxes/{contactId}/messages',
      summary: 'Get inbox contact messages',
      description: "A contact's messages across sender identities and channels, newest first, paginated.",
      tag: TAG,
      scope: 'MESSAGING_READ',
      perMinute: 60,
      params: InboxContactParams,
      querystring: PageQuery,
      response: ListEnvelope(InboxMessage),
      errors: ['not_found'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        if (!(await getContact(db, workspaceId, input.params.contactId))) throw notFound('Contact');
        return listContactMessages(db, workspaceId, input.params.contactId, input.query);
      },
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/inbox/messages',
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
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        const { contactId, senderIdentityId, type, subject, message, requestId } = input.body;
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
        const sent = success('Message sent', result.message);
        return result.kind === 'replayed' ? new WithHeaders(sent, { 'idempotent-replayed': 'true' }) : sent;
      },
    }),
  ];
}
