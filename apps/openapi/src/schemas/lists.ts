import { Type } from 'typebox';
import { Text, Timestamp, Uuid } from './common.ts';

export const ContactList = Type.Object(
  { id: Uuid(), name: Type.String(), memberCount: Type.Integer(), createdAt: Timestamp },
  { title: 'ContactList' },
);

export const ListParams = Type.Object({ listId: Uuid('The list id') });

export const CreateListBody = Type.Object({ name: Text(200) }, { additionalProperties: false });

export const MembershipChange = Type.Object({
  listId: Uuid(),
  changed: Type.Integer({ description: 'Contacts added or removed by this call' }),
  memberCount: Type.Integer(),
});
