import {
  createCampaign,
  enrolContacts,
  getCampaign,
  listCampaigns,
  setCampaignStatus,
} from '@enginy/db/queries/domain/campaigns';
import { existingIds } from '@enginy/db/queries/domain/ownership';
import { Type } from 'typebox';
import { apiError, invalidReference, notFound } from '../../errors.ts';
import {
  Campaign,
  CampaignListQuery,
  CampaignParams,
  CampaignStatusBody,
  CampaignSummary,
  CreateCampaignBody,
} from '../../schemas/campaigns.ts';
import { ListEnvelope, SuccessEnvelope, success } from '../../schemas/common.ts';
import { ContactIdsBody } from '../../schemas/contacts.ts';
import { defineOperation, type Operation } from '../operation.ts';
import type { OperationDeps } from '../deps.ts';
import { checkSteps, TRANSITIONS } from './campaign-rules.ts';
import { requireContacts } from './references.ts';

const TAG = 'Campaigns';

export function campaignOperations({ db }: OperationDeps): Operation[] {
  return [
    defineOperation({
      method: 'GET',
      path: '/v1/campaigns',
      summary: 'List campaigns',
      description: 'Campaigns of the workspace, newest first, optionally only those in one status.',
      tag: TAG,
      scope: 'CAMPAIGNS_READ',
      perMinute: 60,
      querystring: CampaignListQuery,
      response: ListEnvelope(CampaignSummary),
      handler: async (principal, input) => {
        const { status, page, pageSize } = input.query;
        const result = await listCampaigns(db, principal.workspaceId, status, { page, pageSize });
        return { ...result, data: result.data.map(({ steps: _steps, ...summary }) => summary) };
      },
    }),

    defineOperation({
      method: 'GET',
      path: '/v1/campaigns/{campaignId}',
      summary: 'Get campaign',
      description: 'One campaign with its ordered steps and how many contacts are enrolled.',
      tag: TAG,
      scope: 'CAMPAIGNS_READ',
      perMinute: 120,
      params: CampaignParams,
      response: SuccessEnvelope(Campaign),
      errors: ['not_found'],
      handler: async (principal, input) => {
        const campaign = await getCampaign(db, principal.workspaceId, input.params.campaignId);
        if (!campaign) throw notFound('Campaign');
        return success('Campaign retrieved', campaign);
      },
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/campaigns',
      summary: 'Create campaign draft',
      description:
        'Creates a DRAFT campaign from ordered steps (email, linkedin_message, linkedin_connection, condition with onTrue/onFalse branches, task, end). ' +
        'A branch ends where it says `end`: `end` only as the last step of its branch, anywhere else it is a 422 at that step. ' +
        'Validation errors name the step field, e.g. `steps[0].subject` or `steps[1].onTrue[0].message`.',
      tag: TAG,
      scope: 'CAMPAIGNS_WRITE',
      perMinute: 30,
      body: CreateCampaignBody,
      response: SuccessEnvelope(Campaign),
      status: 201,
      errors: ['invalid_reference'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        const { name, senderIdentityId, steps } = input.body;
        checkSteps(steps);
        if (
          senderIdentityId &&
          !(await existingIds(db, 'sender_identities', workspaceId, [senderIdentityId])).has(senderIdentityId)
        ) {
          throw invalidReference('senderIdentityId', 'Sender identity');
        }
        const campaign = await createCampaign(db, workspaceId, {
          name,
          senderIdentityId: senderIdentityId ?? null,
          steps,
        });
        return success('Campaign draft created', campaign);
      },
    }),

    defineOperation({
      method: 'PATCH',
      path: '/v1/campaigns/{campaignId}/status',
      summary: 'Change campaign status',
      description:
        'Starts (ACTIVE), pauses (PAUSED), resumes (ACTIVE) or ends (FINISHED) a campaign. A change its current status does not allow is a 409.',
      tag: TAG,
      scope: 'CAMPAIGNS_WRITE',
      perMinute: 30,
      params: CampaignParams,
      body: CampaignStatusBody,
      response: SuccessEnvelope(Campaign),
      errors: ['not_found', 'invalid_status_transition'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        const current = await getCampaign(db, workspaceId, input.params.campaignId);
        if (!current) throw notFound('Campaign');
        const to = input.body.status;
        if (!TRANSITIONS[current.status].includes(to)) {
          throw apiError('invalid_status_transition', `A ${current.status} campaign cannot become ${to}`);
        }
        if (to === 'ACTIVE' && current.senderIdentityId === null) {
          throw apiError('invalid_status_transition', 'A campaign needs a sender identity before it can start');
        }
        const updated = await setCampaignStatus(db, workspaceId, current.id, current.status, to);
        // Someone else changed the status between the read and the write.
        if (!updated)
          throw apiError('invalid_status_transition', 'The campaign status changed meanwhile; read it again');
        return success(`Campaign is now ${to}`, updated);
      },
    }),

    defineOperation({
      method: 'POST',
      path: '/v1/campaigns/{campaignId}/contacts',
      summary: 'Enrol contacts in campaign',
      description:
        'Enrols up to 100 contacts in a campaign that has not finished; contacts already enrolled are left as they are.',
      tag: TAG,
      scope: 'CAMPAIGNS_WRITE',
      perMinute: 60,
      params: CampaignParams,
      body: ContactIdsBody,
      response: SuccessEnvelope(
        Type.Object({ campaignId: Type.String(), enrolled: Type.Integer(), alreadyEnrolled: Type.Integer() }),
      ),
      errors: ['not_found', 'invalid_reference', 'invalid_status_transition'],
      handler: async (principal, input) => {
        const { workspaceId } = principal;
        const campaign = await getCampaign(db, workspaceId, input.params.campaignId);
        if (!campaign) throw notFound('Campaign');
        if (campaign.status === 'FINISHED')
          throw apiError('invalid_status_transition', 'A FINISHED campaign takes no new contacts');
        const { contactIds } = input.body;
        await requireContacts(db, workspaceId, contactIds);
        const enrolled = await enrolContacts(db, campaign.id, contactIds);
        return success(`${enrolled} contacts enrolled`, {
          campaignId: campaign.id,
          enrolled,
          alreadyEnrolled: contactIds.length - enrolled,
        });
      },
    }),
  ];
}
