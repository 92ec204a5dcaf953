import { Type } from 'typebox';
import { Email, HttpUrl, IdList, Nullable, PageFields, StringEnum, Text, Timestamp, Uuid } from './common.ts';

export const EMAIL_STATUSES = ['UNVERIFIED', 'VALID', 'INVALID', 'RISKY'] as const;

const Phone = Type.String({ minLength: 3, maxLength: 40, pattern: '^[+0-9 ().-]+$' });

export const Contact = Type.Object(
  {
    id: Uuid(),
    firstName: Type.String(),
    lastName: Type.String(),
    jobTitle: Nullable(Type.String()),
    linkedInProfileUrl: Nullable(Type.String()),
    linkedInHeadline: Nullable(Type.String()),
    professionalEmail: Nullable(Type.String()),
    personalEmails: Type.Array(Type.String()),
    mobilePhone: Nullable(Type.String()),
    phones: Type.Array(Type.String()),
    companyId: Nullable(Uuid()),
    company: Nullable(
      Type.Object({
        id: Uuid(),
        name: Type.String(),
        domain: Nullable(Type.String()),
        companyLinkedInUrl: Nullable(Type.String()),
      }),
    ),
    ownerId: Nullable(Uuid()),
    emailVerificationStatus: StringEnum(EMAIL_STATUSES),
    contactCountry: Nullable(Type.String()),
    isInCRM: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Contact' },
);

export const ContactParams = Type.Object({ contactId: Uuid('The contact id') });

export const ContactSearchBody = Type.Object(
  {
    filters: Type.Optional(
      Type.Object(
        {
          search: Type.Optional(
            Text(200, 'Matches name, professional email or job title (case-insensitive substring)'),
          ),
          companyId: Type.Optional(Uuid()),
          listId: Type.Optional(Uuid('Only members of this list')),
          ownerId: Type.Optional(Uuid('Only contacts of this CRM owner')),
          jobTitle: Type.Optional(Text(200, 'Substring of the job title')),
          contactCountry: Type.Optional(Text(2, 'ISO 3166-1 alpha-2 code')),
          emailVerificationStatus: Type.Optional(
            Type.Array(StringEnum(EMAIL_STATUSES), { minItems: 1, maxItems: 4, uniqueItems: true }),
          ),
          isInCRM: Type.Optional(Type.Boolean()),
          createdAfter: Type.Optional(Timestamp),
          createdBefore: Type.Optional(Timestamp),
        },
        { additionalProperties: false },
      ),
    ),
    ...PageFields,
  },
  { additionalProperties: false },
);

const writable = {
  jobTitle: Type.Optional(Nullable(Text(200))),
  linkedInProfileUrl: Type.Optional(Nullable(HttpUrl)),
  linkedInHeadline: Type.Optional(Nullable(Text(300))),
  professionalEmail: Type.Optional(Nullable(Email)),
  personalEmails: Type.Optional(Type.Array(Email, { maxItems: 10 })),
  mobilePhone: Type.Optional(Nullable(Phone)),
  phones: Type.Optional(Type.Array(Phone, { maxItems: 10 })),
  companyId: Type.Optional(Nullable(Uuid())),
  ownerId: Type.Optional(Nullable(Uuid('A CRM owner id'))),
  contactCountry: Type.Optional(
    Nullable(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' })),
  ),
  isInCRM: Type.Optional(Type.Boolean()),
};

export const CreateContactBody = Type.Object(
  { firstName: Text(100), lastName: Text(100), ...writable },
  { additionalProperties: false },
);

export const UpdateContactBody = Type.Object(
  { firstName: Type.Optional(Text(100)), lastName: Type.Optional(Text(100)), ...writable },
  { additionalProperties: false, minProperties: 1 },
);

export const ContactIdsBody = Type.Object({ contactIds: IdList('Contact') }, { additionalProperties: false });
