import { Type } from 'typebox';
import { HttpUrl, Nullable, PageFields, Text, Timestamp, Uuid } from './common.ts';

export const Company = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    domain: Nullable(Type.String()),
    companyLinkedInUrl: Nullable(Type.String()),
    industry: Nullable(Type.String()),
    employeeCount: Nullable(Type.Integer()),
    country: Nullable(Type.String()),
    contactCount: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Company' },
);

export const CompanyParams = Type.Object({ companyId: Uuid('The company id') });

export const CompanySearchBody = Type.Object(
  {
    filters: Type.Optional(
      Type.Object(
        {
          search: Type.Optional(Text(200, 'Matches name or domain (case-insensitive substring)')),
          industry: Type.Optional(Text(100)),
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          minEmployees: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
          maxEmployees: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    ...PageFields,
  },
  { additionalProperties: false },
);

export const CreateCompanyBody = Type.Object(
  {
    name: Text(200),
    domain: Type.Optional(
      Nullable(
        Type.String({ maxLength: 253, pattern: '^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$', description: 'e.g. acme.com' }),
      ),
    ),
    companyLinkedInUrl: Type.Optional(Nullable(HttpUrl)),
    industry: Type.Optional(Nullable(Text(100))),
    employeeCount: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
    country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
  },
  { additionalProperties: false },
);
