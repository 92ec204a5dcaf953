import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from '../../client.ts';
import type { Database } from '../../schema.ts';
import type { ContactsTable, EmailVerificationStatus } from '../../schema/domain.ts';

export type { EmailVerificationStatus };
import { containsPattern, iso, offsetOf, type Page, type PageRequest, pageOf } from './pagination.ts';

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  linkedInProfileUrl: string | null;
  linkedInHeadline: string | null;
  professionalEmail: string | null;
  personalEmails: string[];
  mobilePhone: string | null;
  phones: string[];
  companyId: string | null;
  company: { id: string; name: string; domain: string | null; companyLinkedInUrl: string | null } | null;
  ownerId: string | null;
  emailVerificationStatus: EmailVerificationStatus;
  contactCountry: string | null;
  isInCRM: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactFilters {
  search?: string;
  companyId?: string;
  listId?: string;
  ownerId?: string;
  jobTitle?: string;
  contactCountry?: string;
  emailVerificationStatus?: EmailVerificationStatus[];
  isInCRM?: boolean;
  createdAfter?: string;
  createdBefore?: string;
}

/** The writable fields, as the API names them. */
export interface ContactInput {
  firstName?: string;
  lastName?: string;
  jobTitle?: string | null;
  linkedInProfileUrl?: string | null;
  linkedInHeadline?: string | null;
  professionalEmail?: string | null;
  personalEmails?: string[];
  mobilePhone?: string | null;
  phones?: string[];
  companyId?: string | null;
  ownerId?: string | null;
  contactCountry?: string | null;
  isInCRM?: boolean;
}

type Row = Selectable<ContactsTable> & { c_name: string | null; c_domain: string | null; c_linkedin: string | null };

const toContact = (row: Row): Contact => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  jobTitle: row.job_title,
  linkedInProfileUrl: row.linkedin_profile_url,
  linkedInHeadline: row.linkedin_headline,
  professionalEmail: row.professional_email,
  personalEmails: row.personal_emails,
  mobilePhone: row.mobile_phone,
  phones: row.phones,
  companyId: row.company_id,
  company:
    row.company_id && row.c_name !== null
      ? { id: row.company_id, name: row.c_name, domain: row.c_domain, companyLinkedInUrl: row.c_linkedin }
      : null,
  ownerId: row.owner_id,
  emailVerificationStatus: row.email_verification_status,
  contactCountry: row.contact_country,
  isInCRM: row.is_in_crm,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

const COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  jobTitle: 'job_title',
  linkedInProfileUrl: 'linkedin_profile_url',
  linkedInHeadline: 'linkedin_headline',
  professionalEmail: 'professional_email',
  personalEmails: 'personal_emails',
  mobilePhone: 'mobile_phone',
  phones: 'phones',
  companyId: 'company_id',
  ownerId: 'owner_id',
  contactCountry: 'contact_country',
  isInCRM: 'is_in_crm',
} as const satisfies Record<keyof ContactInput, keyof ContactsTable>;

/** The API's field names mapped to columns; fields left out stay as they are. */
function toColumns(input: ContactInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = input[field as keyof ContactInput];
    if (value !== undefined) values[column] = value;
  }
  return values;
}

function where(workspaceId: string, f: ContactFilters) {
  return (eb: ExpressionBuilder<Database, 'contacts'>) => {
    const parts = [eb('contacts.workspace_id', '=', workspaceId)];
    if (f.search) {
      const pattern = containsPattern(f.search);
      parts.push(
        eb.or([
          eb(eb.fn('concat_ws', [eb.val(' '), 'contacts.first_name', 'contacts.last_name']), 'ilike', pattern),
          eb('contacts.professional_email', 'ilike', pattern),
          eb('contacts.job_title', 'ilike', pattern),
        ]),
      );
    }
    if (f.companyId) parts.push(eb('contacts.company_id', '=', f.companyId));
    if (f.ownerId) parts.push(eb('contacts.owner_id', '=', f.ownerId));
    if (f.jobTitle) parts.push(eb('contacts.job_title', 'ilike', containsPattern(f.jobTitle)));
    if (f.contactCountry) parts.push(eb('contacts.contact_country', '=', f.contactCountry));
    if (f.emailVerificationStatus?.length)
      parts.push(eb('contacts.email_verification_status', 'in', f.emailVerificationStatus));
    if (f.isInCRM !== undefined) parts.push(eb('contacts.is_in_crm', '=', f.isInCRM));
    if (f.createdAfter) parts.push(eb('contacts.created_at', '>=', new Date(f.createdAfter)));
    if (f.createdBefore) parts.push(eb('contacts.created_at', '<', new Date(f.createdBefore)));
    if (f.listId) {
      const listId = f.listId;
      parts.push(
        eb.exists(
          eb
            .selectFrom('list_members')
            .select('list_members.contact_id')
            .whereRef('list_members.contact_id', '=', 'contacts.id')
            .where('list_members.list_id', '=', listId),
        ),
      );
    }
    return eb.and(parts);
  };
}

function selectContacts(db: Db) {
  return db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .selectAll('contacts')
    .select([
      'companies.name as c_name',
      'companies.domain as c_domain',
      'companies.company_linkedin_url as c_linkedin',
    ]);
}

export async function searchContacts(
  db: Db,
  workspaceId: string,
  filters: ContactFilters,
  page: PageRequest,
): Promise<Page<Contact>> {
  const [rows, count] = await Promise.all([
    selectContacts(db)
      .where(where(workspaceId, filters))
      .orderBy('contacts.created_at', 'desc')
      .orderBy('contacts.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where(where(workspaceId, filters))
      .executeTakeFirstOrThrow(),
  ]);
  return pageOf(rows.map(toContact), page, Number(count.total));
}

export async function getContact(db: Db, workspaceId: string, contactId: string): Promise<Contact | undefined> {
  const row = await selectContacts(db)
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.id', '=', contactId)
    .executeTakeFirst();
  return row && toContact(row);
}

/** Creates a contact; resolves undefined when the workspace already has one with that professional email. */
export async function createContact(
  db: Db,
  workspaceId: string,
  input: ContactInput & { firstName: string; lastName: string },
): Promise<Contact | undefined> {
  const inserted = await db
    .insertInto('contacts')
    .values({ workspace_id: workspaceId, ...(toColumns(input) as { first_name: string; last_name: string }) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted && getContact(db, workspaceId, inserted.id);
}

/** Updates the given fields; undefined when there is no such contact. Throws a unique violation on a taken email. */
export async function updateContact(
  db: Db,
  workspaceId: string,
  contactId: string,
  input: ContactInput,
): Promise<Contact | undefined> {
  const updated = await db
    .updateTable('contacts')
    .set({ ...toColumns(input), updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .returning('id')
    .executeTakeFirst();
  return updated && getContact(db, workspaceId, contactId);
}

/** The professional emails of the workspace's contacts among `ids`. */
export async function contactEmails(db: Db, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'professional_email as email'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}

export async function setEmailVerification(
  db: Db,
  workspaceId: string,
  ids: readonly string[],
  status: EmailVerificationStatus,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('contacts')
    .set({ email_verification_status: status, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
