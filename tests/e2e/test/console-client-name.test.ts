// Security review (L1) in Chromium: the OAuth clients form shows the name users will see,
// cleaned by the same policy function the server stores it with, before saving; the list shows the
// stored names clean, even one stored before the cleaning.
import { SEED_IDS } from '@enginy/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsolePage, eventually, expectNoErrors, openConsole } from '../src/console-page.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
let admin: ConsolePage;
beforeAll(async () => {
  admin = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/clients', ADMIN, [/status of 422/]);
});
afterAll(async () => {
  await admin?.close();
});

const DIRTY = 'Claude Code\u202E\u200Bevil';
const CLEAN = 'Claude Codeevil';
const BIDI_OR_INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

describe('the name of a new pre-registered client', () => {
  it('is shown cleaned before saving, saved cleaned, and listed cleaned', async () => {
    const { page } = admin;
    await page.getByLabel('Name').fill(DIRTY);
    const shown = page.locator('#new-client-name-shown');
    await eventually(() => shown.textContent()).toBe(
      `Shown to users as ${CLEAN} (invisible and direction characters removed)`,
    );
    expect(await page.getByTestId('client-name-shown').textContent()).toBe(CLEAN);
    await page.getByRole('button', { name: 'Create client' }).click();
    const secret = page.getByRole('region', { name: `Client secret for ${CLEAN}` });
    const clientId = (await secret.getByTestId('Client ID').textContent()) ?? '';
    const stored = await e2e.db
      .selectFrom('oauth_clients')
      .select('name')
      .where('id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe(CLEAN);
    await secret.getByRole('button', { name: 'Done, I saved it' }).click();
    const table = page.getByRole('table', { name: 'Pre-registered clients' });
    await eventually(() =>
      table.locator('tbody tr').filter({ hasText: clientId }).locator('td').first().textContent(),
    ).toBe(CLEAN);
    expectNoErrors(admin);
  });

  it('with nothing left once cleaned says so before saving, and the server refuses it naming the field', async () => {
    const { page } = admin;
    await page.getByLabel('Name').fill('\u202E\u200B\u2066');
    await eventually(() => page.locator('#new-client-name-shown').textContent()).toBe(
      'Nothing is left of this name once invisible and direction characters are removed.',
    );
    await page.getByRole('button', { name: 'Create client' }).click();
    await eventually(() => page.getByRole('alert').first().textContent()).toMatch(/^name: is required/);
    await page.getByLabel('Name').fill('');
    expectNoErrors(admin);
  });

  it('a name stored before the cleaning is listed clean', async () => {
    const { page } = admin;
    const clientId = 'ecl_stored-before-cleaning';
    await e2e.db
      .insertInto('oauth_clients')
      .values({
        id: clientId,
        kind: 'preregistered',
        name: DIRTY,
        redirect_uris: ['http://localhost:3118/callback'],
        token_endpoint_auth_method: 'client_secret_post',
        secret_hash: 'not-a-secret',
        metadata: JSON.stringify({ client_name: DIRTY }),
        workspace_id: SEED_IDS.acme,
      })
      .execute();
    await page.reload();
    const table = page.getByRole('table', { name: 'Pre-registered clients' });
    const row = table.locator('tbody tr').filter({ hasText: clientId });
    await eventually(() => row.locator('td').first().textContent()).toBe(CLEAN);
    expect(await table.textContent()).not.toMatch(BIDI_OR_INVISIBLE);
    expectNoErrors(admin);
  });
});
