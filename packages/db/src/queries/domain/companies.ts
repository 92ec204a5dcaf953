import type { ExpressionBuilder, Selectable } from 'kysely';
import type { Db } from '../../client.ts';
import type { Database } from '../../schema.ts';
import type { CompaniesTable } from '../../schema/domain.ts';
import { containsPattern, iso, offsetOf, type Page, type PageRequest, pageOf } from './pagination.ts';

export interface Company {
  id: string;
  name: string;
  domain: string | null;
  companyLinkedInUrl: string | null;
  industry: string | null;
  employeeCount: number | null;
  country: string | null;
  contactCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CompanyFilters {
  search?: string;
  industry?: string;
  country?: string;
  minEmployees?: number;
  maxEmployees?: number;
}

export interface NewCompany {
  name: string;
  domain?: string | null;
  companyLinkedInUrl?: string | null;
  industry?: string | null;
  employeeCount?: number | null;
  country?: string | null;
}

type Row = Selectable<CompaniesTable> & { contact_count: number };

const toCompany = (row: Row): Company => ({
  id: row.id,
  name: row.name,
  domain: row.domain,
  companyLinkedInUrl: row.company_linkedin_url,
  industry: row.industry,
  employeeCount: row.employee_count,
  country: row.country,
  contactCount: row.contact_count,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

function where(workspaceId: string, filters: CompanyFilters) {
  return (eb: ExpressionBuilder<Database, 'companies'>) => {
    const parts = [eb('companies.workspace_id', '=', workspaceId)];
    if (filters.search) {
      const pattern = containsPattern(filters.search);
      parts.push(eb.or([eb('companies.name', 'ilike', pattern), eb('companies.domain', 'ilike', pattern)]));
    }
    if (filters.industry) parts.push(eb('companies.industry', '=', filters.industry));
    if (filters.country) parts.push(eb('companies.country', '=', filters.country));
    if (filters.minEmployees !== undefined) parts.push(eb('companies.employee_count', '>=', filters.minEmployees));
    if (filters.maxEmployees !== undefined) parts.push(eb('companies.employee_count', '<=', filters.maxEmployees));
    return eb.and(parts);
  };
}

function selectCompanies(db: Db) {
  return db
    .selectFrom('companies')
    .selectAll('companies')
    .select((eb) =>
      eb
        .selectFrom('contacts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('contacts.company_id', '=', 'companies.id')
        .as('contact_count'),
    );
}

export async function searchCompanies(
  db: Db,
  workspaceId: string,
  filters: CompanyFilters,
  page: PageRequest,
): Promise<Page<Company>> {
  const [rows, count] = await Promise.all([
    selectCompanies(db)
      .where(where(workspaceId, filters))
      .orderBy('companies.name')
      .orderBy('companies.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    db
      .selectFrom('companies')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where(where(workspaceId, filters))
      .executeTakeFirstOrThrow(),
  ]);
  return pageOf(
    rows.map((row) => toCompany(row as Row)),
    page,
    Number(count.total),
  );
}

export async function getCompany(db: Db, workspaceId: string, companyId: string): Promise<Company | undefined> {
  const row = await selectCompanies(db)
    .where('companies.workspace_id', '=', workspaceId)
    .where('companies.id', '=', companyId)
    .executeTakeFirst();
  return row && toCompany(row as Row);
}

/** Creates a company; resolves undefined when the workspace already has one with that domain. */
export async function createCompany(db: Db, workspaceId: string, input: NewCompany): Promise<Company | undefined> {
  const row = await db
    .insertInto('companies')
    .values({
      workspace_id: workspaceId,
      name: input.name,
      domain: input.domain ?? null,
      company_linkedin_url: input.companyLinkedInUrl ?? null,
      industry: input.industry ?? null,
      employee_count: input.employeeCount ?? null,
      country: input.country ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toCompany({ ...row, contact_count: 0 });
}
