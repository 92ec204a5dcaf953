import type { Selectable } from 'kysely';
import type { Db } from '../../client.ts';
import type { CampaignStatus, CampaignsTable, StoredStep } from '../../schema/domain.ts';
import { iso, offsetOf, type Page, type PageRequest, pageOf } from './pagination.ts';

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  senderIdentityId: string | null;
  steps: StoredStep[];
  enrolledCount: number;
  createdAt: string;
  updatedAt: string;
}

type Row = Selectable<CampaignsTable> & { enrolled_count: number | null };

const toCampaign = (row: Row): Campaign => ({
  id: row.id,
  name: row.name,
  status: row.status,
  senderIdentityId: row.sender_identity_id,
  steps: row.steps,
  enrolledCount: Number(row.enrolled_count ?? 0),
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

function selectCampaigns(db: Db, workspaceId: string) {
  return db
    .selectFrom('campaigns')
    .selectAll('campaigns')
    .select((eb) =>
      eb
        .selectFrom('campaign_enrolments')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('campaign_enrolments.campaign_id', '=', 'campaigns.id')
        .as('enrolled_count'),
    )
    .where('campaigns.workspace_id', '=', workspaceId);
}

export async function listCampaigns(
  db: Db,
  workspaceId: string,
  status: CampaignStatus | undefined,
  page: PageRequest,
): Promise<Page<Campaign>> {
  let rows = selectCampaigns(db, workspaceId);
  let count = db
    .selectFrom('campaigns')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('workspace_id', '=', workspaceId);
  if (status !== undefined) {
    rows = rows.where('campaigns.status', '=', status);
    count = count.where('status', '=', status);
  }
  const [data, total] = await Promise.all([
    rows
      .orderBy('campaigns.created_at', 'desc')
      .orderBy('campaigns.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return pageOf(data.map(toCampaign), page, Number(total.total));
}

export async function getCampaign(db: Db, workspaceId: string, campaignId: string): Promise<Campaign | undefined> {
  const row = await selectCampaigns(db, workspaceId).where('campaigns.id', '=', campaignId).executeTakeFirst();
  return row && toCampaign(row);
}

export async function createCampaign(
  db: Db,
  workspaceId: string,
  input: { name: string; senderIdentityId: string | null; steps: StoredStep[] },
): Promise<Campaign> {
  const row = await db
    .insertInto('campaigns')
    .values({
      workspace_id: workspaceId,
      name: input.name,
      sender_identity_id: input.senderIdentityId,
      steps: JSON.stringify(input.steps),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCampaign({ ...row, enrolled_count: 0 });
}

/**
 * Moves a campaign from `from` to `to` only if it is still in `from` (a compare-and-set, so two
 * concurrent changes cannot both apply). Undefined when it was not.
 */
export async function setCampaignStatus(
  db: Db,
  workspaceId: string,
  campaignId: string,
  from: CampaignStatus,
  to: CampaignStatus,
): Promise<Campaign | undefined> {
  const updated = await db
    .updateTable('campaigns')
    .set({ status: to, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', campaignId)
    .where('status', '=', from)
    .returning('id')
    .executeTakeFirst();
  return updated && getCampaign(db, workspaceId, campaignId);
}

/** Enrols contacts (already checked to be the workspace's); returns how many were newly enrolled. */
export async function enrolContacts(db: Db, campaignId: string, contactIds: readonly string[]): Promise<number> {
  const rows = await db
    .insertInto('campaign_enrolments')
    .values([...new Set(contactIds)].map((contactId) => ({ campaign_id: campaignId, contact_id: contactId })))
    .onConflict((oc) => oc.doNothing())
    .returning('contact_id')
    .execute();
  return rows.length;
}
