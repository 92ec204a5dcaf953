import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { ACME, MISSING } from '../helpers/seed-ids.ts';

let h: Harness;
let read: string;
let write: string;
beforeAll(async () => {
  h = await startHarness();
  read = await h.key(['MESSAGING_READ']);
  write = await h.key(['MESSAGING_WRITE']);
});
afterAll(() => h.close());

const countMessages = async () =>
  Number(
    (
      await h.t.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('inbox threads and messages', () => {
  it('lists threads, most recent first, filtered by identity, text and archive', async () => {
    const body = (await h.call('GET', '/v1/inboxes?pageSize=50', { key: read })).json();
    expect(body.meta.total).toBeGreaterThan(20);
    const times = body.data.map((thread: { lastActivityAt: string }) => thread.lastActivityAt);
    expect([...times].sort().reverse()).toEqual(times);
    const byIdentity = (await h.call('GET', `/v1/inboxes?senderIdentityId=${ACME.identity(1)}`, { key: read })).json();
    expect(
      byIdentity.data.every((thread: { senderIdentityIds: string[] }) =>
        thread.senderIdentityIds.includes(ACME.identity(1)),
      ),
    ).toBe(true);
    const archived = (await h.call('GET', '/v1/inboxes?archived=true', { key: read })).json();
    expect(archived.meta.total).toBeGreaterThan(0);
    expect(archived.meta.total).toBeLessThan(body.meta.total);
    const first = body.data[0];
    const searched = (
      await h.call('GET', `/v1/inboxes?search=${encodeURIComponent(first.fullName)}`, { key: read })
    ).json();
    expect(searched.data.map((thread: { contactId: string }) => thread.contactId)).toContain(first.contactId);
  });

  it("reads a contact's messages, newest first; 404 for an unknown contact", async () => {
    const thread = (await h.call('GET', '/v1/inboxes?pageSize=1', { key: read })).json().data[0];
    const messages = (await h.call('GET', `/v1/inboxes/${thread.contactId}/messages`, { key: read })).json();
    expect(messages.meta.total).toBeGreaterThanOrEqual(2);
    expect(messages.data[0]).toMatchObject({
      conversationId: expect.any(String),
      type: expect.stringMatching(/EMAIL|LINKEDIN/),
    });
    expect((await h.call('GET', `/v1/inboxes/${MISSING}/messages`, { key: read })).statusCode).toBe(404);
    expect((await h.call('GET', '/v1/inboxes?pageSize=0', { key: read })).statusCode).toBe(422);
  });
});

describe('POST /v1/inbox/messages', () => {
  const send = {
    contactId: ACME.contact(10),
    senderIdentityId: ACME.identity(1),
    type: 'EMAIL',
    subject: 'Hello',
    message: 'Are you free on Tuesday?',
  };

  it('sends a message that then shows in the contact’s messages', async () => {
    const response = await h.call('POST', '/v1/inbox/messages', { key: write, body: send });
    expect(response.statusCode).toBe(201);
    const message = response.json().data;
    expect(message).toMatchObject({ content: send.message, isContactSender: false, type: 'EMAIL' });
    const messages = (await h.call('GET', `/v1/inboxes/${send.contactId}/messages`, { key: write })).json();
    expect(messages.data[0].id).toBe(message.id);
  });

  it('is idempotent by requestId: the same request twice creates one message and answers the same', async () => {
    const before = await countMessages();
    const body = { ...send, requestId: 'retry-123' };
    const first = await h.call('POST', '/v1/inbox/messages', { key: write, body });
    const second = await h.call('POST', '/v1/inbox/messages', { key: write, body });
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await countMessages()).toBe(before + 1);
    const reused = await h.call('POST', '/v1/inbox/messages', {
      key: write,
      body: { ...body, message: 'Something else' },
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('idempotency_key_reused');
  });

  it('refuses a channel the identity lacks, unknown contacts and bad bodies', async () => {
    const linkedIn = await h.call('POST', '/v1/inbox/messages', {
      key: write,
      body: { ...send, senderIdentityId: ACME.identity(0), type: 'LINKEDIN', subject: undefined },
    });
    expect(linkedIn.statusCode).toBe(422);
    expect(linkedIn.json().details[0].path).toBe('type');
    const unknown = await h.call('POST', '/v1/inbox/messages', { key: write, body: { ...send, contactId: MISSING } });
    expect(unknown.json()).toMatchObject({ code: 'invalid_reference', details: [{ path: 'contactId' }] });
    const invalid = await h.call('POST', '/v1/inbox/messages', { key: write, body: { ...send, type: 'FAX' } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().details[0].path).toBe('type');
  });

  it('needs MESSAGING_WRITE', async () => {
    const response = await h.call('POST', '/v1/inbox/messages', { key: read, body: send });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe('Missing required scope: MESSAGING_WRITE');
  });
});
