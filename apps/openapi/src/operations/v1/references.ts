import type { Db } from '@enginy/db/client';
import { existingIds } from '@enginy/db/queries/domain/ownership';
import { invalidReference } from '../../errors.ts';

/** 422 naming the first of `contactIds` (as `contactIds[i]`) that is not a contact of the workspace. */
export async function requireContacts(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<void> {
  const found = await existingIds(db, 'contacts', workspaceId, contactIds);
  const missing = contactIds.findIndex((id) => !found.has(id));
  if (missing !== -1) throw invalidReference(`contactIds[${missing}]`, 'Contact');
}
