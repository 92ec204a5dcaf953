import { Type } from 'typebox';
import { Defaulted, Nullable, PageFields, StringEnum, Text, Timestamp, Uuid } from './common.ts';

export const CHANNELS = ['EMAIL', 'LINKEDIN'] as const;

export const InboxThread = Type.Object(
  {
    contactId: Uuid(),
    latestConversationId: Uuid(),
    fullName: Type.String(),
    email: Nullable(Type.String()),
    companyName: Nullable(Type.String()),
    senderIdentityIds: Type.Array(Uuid()),
    channels: Type.Array(StringEnum(CHANNELS)),
    unreadMessagesCount: Type.Integer(),
    lastActivityAt: Timestamp,
    summary: Nullable(Type.String()),
    tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), color: Type.String() })),
  },
  { title: 'InboxThread' },
);

export const InboxMessage = Type.Object(
  {
    id: Uuid(),
    conversationId: Uuid(),
    senderIdentityId: Uuid(),
    content: Type.String(),
    subject: Nullable(Type.String()),
    type: StringEnum(CHANNELS),
    isContactSender: Type.Boolean(),
    isAutosent: Type.Boolean(),
    createdAt: Timestamp,
  },
  { title: 'InboxMessage' },
);

export const ThreadQuery = Type.Object({
  ...PageFields,
  search: Type.Optional(Text(200, 'Matches contact name, email or company')),
  senderIdentityId: Type.Optional(Uuid()),
  archived: Defaulted(Type.Boolean({ default: false, description: 'Archived threads instead of open ones' })),
});

export const InboxContactParams = Type.Object({ contactId: Uuid('The contact whose messages to read') });

export const SendMessageBody = Type.Object(
  {
    contactId: Uuid(),
    senderIdentityId: Uuid(),
    type: StringEnum(CHANNELS),
    subject: Type.Optional(Text(300, 'Email subject (EMAIL only)')),
    message: Text(20_000),
    requestId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[\\x21-\\x7E]+$',
        description: 'Idempotency key: a retry with the same requestId sends nothing new',
      }),
    ),
  },
  { additionalProperties: false },
);
