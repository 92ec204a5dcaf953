import { createCompany, getCompany, searchCompanies } from '@enginy/db/queries/domain/companies';
import { apiError, notFound } from '../../errors.ts';
import { ListEnvelope, SuccessEnvelope, success } from '../../schemas/common.ts';
import { Company, CompanyParams, CompanySearchBody, CreateCompanyBody } from '../../schemas/companies.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';

const TAG = 'Companies';

export function companyOperations({ db }: OperationDeps): Operation[] {
  return [
    defineOperation({
      method: 'POST',
      path: '/v1/companies/search',
      summary: 'Search companies',
      description: 'Search companies by name or domain, industry, country and size, by name, paginated.',
      tag: TAG,
      scope: 'COMPANIES_READ',
      perMinute: 60,
      body: CompanySearchBody,
      response: ListEnvelope(Company),
      handler: async (principal, input) => {
        const { filters = {}, page, pageSize } = input.body;
        return searchCompanies(db, principal.workspaceId, filters, { page, pageSize });
      },
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/companies/{companyId}',
      summary: 'Get company',
      description: 'One company with its number of contacts.',
      tag: TAG,
      scope: 'COMPANIES_READ',
      perMinute: 120,
      params: CompanyParams,
      response: SuccessEnvelope(Company),
      errors: ['not_found'],
      handler: async (principal, input) => {
        const company = await getCompany(db, principal.workspaceId, input.params.companyId);
        if (!company) throw notFound('Company');
        return success('Company retrieved', company);
      },
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/companies',
      summary: 'Create company',
      description: 'Creates a company. A domain the workspace already has is a conflict (409).',
      tag: TAG,
      scope: 'COMPANIES_WRITE',
      perMinute: 60,
      body: CreateCompanyBody,
      response: SuccessEnvelope(Company),
      status: 201,
      errors: ['conflict'],
      handler: async (principal, input) => {
        const company = await createCompany(db, principal.workspaceId, input.body);
        if (!company) throw apiError('conflict', 'A company with this domain already exists');
        return success('Company created', company);
      },
    }),
  ];
}
