import { createCompany, getCompany, searchCompanies } from '@enginy/db/queries/domain/companies';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../auth/gate.ts';
import { apiError, notFound } from '../../errors.ts';
import { ListEnvelope, SuccessEnvelope, success } from '../../schemas/common.ts';
import { Company, CompanyParams, CompanySearchBody, CreateCompanyBody } from '../../schemas/companies.ts';
import { operation } from '../operation.ts';
import type { RouteDeps } from '../route-deps.ts';

const TAG = 'Companies';

export const companyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.post(
    '/v1/companies/search',
    operation({
      summary: 'Search companies',
      description: 'Search companies by name or domain, industry, country and size, by name, paginated.',
      tag: TAG,
      scope: 'COMPANIES_READ',
      perMinute: 60,
      body: CompanySearchBody,
      response: ListEnvelope(Company),
    }),
    async (request) => {
      const { filters = {}, page, pageSize } = request.body;
      return searchCompanies(db, principalOf(request).workspaceId, filters, { page, pageSize });
    },
  );

  app.get(
    '/v1/companies/:companyId',
    operation({
      summary: 'Get company',
      description: 'One company with its number of contacts.',
      tag: TAG,
      scope: 'COMPANIES_READ',
      perMinute: 120,
      params: CompanyParams,
      response: SuccessEnvelope(Company),
      errors: ['not_found'],
    }),
    async (request) => {
      const company = await getCompany(db, principalOf(request).workspaceId, request.params.companyId);
      if (!company) throw notFound('Company');
      return success('Company retrieved', company);
    },
  );

  app.post(
    '/v1/companies',
    operation({
      summary: 'Create company',
      description: 'Creates a company. A domain the workspace already has is a conflict (409).',
      tag: TAG,
      scope: 'COMPANIES_WRITE',
      perMinute: 60,
      body: CreateCompanyBody,
      response: SuccessEnvelope(Company),
      status: 201,
      errors: ['conflict'],
    }),
    async (request, reply) => {
      const company = await createCompany(db, principalOf(request).workspaceId, request.body);
      if (!company) throw apiError('conflict', 'A company with this domain already exists');
      return reply.code(201).send(success('Company created', company));
    },
  );
};
