import type { Db } from '../client.ts';
import { seedDemoData } from './demo-data.ts';
import { type SeedUsers, seedWorkspaces } from './workspaces.ts';

export { SEED_IDS } from './constants.ts';
export { demoId } from './demo-data.ts';
export { SEED_MEMBER_EMAIL } from './workspaces.ts';

/** Seeds the demo data, idempotently, in one transaction: a failed seed leaves nothing half-written. */
export async function seedDatabase(db: Db, users: SeedUsers): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await seedWorkspaces(trx, users);
    await seedDemoData(trx);
  });
}
