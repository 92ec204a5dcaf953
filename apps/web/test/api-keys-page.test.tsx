import { ApiKeyList, CreatedApiKey } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../src/console/format.ts';
import { ApiKeysPage } from '../src/console/pages/api-keys-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, NO_CONTENT, refusal } from './support/fake-auth-api.ts';
import { apiKey, LATER } from './support/fixtures.ts';
import { answerConfirmations, renderInConsole } from './support/render-in-console.tsx';

const keys = (...apiKeys: ReturnType<typeof apiKey>[]) => answer(ApiKeyList, { apiKeys });

describe('API keys page', () => {
  it('says it is loading until the keys arrive', async () => {
    fakeAuthApi({ 'GET /api-keys': NO_ANSWER });
    renderInConsole(<ApiKeysPage />);
    expect((await screen.findByText('Loading API keys…')).getAttribute('role')).toBe('status');
  });

  it('says there is no key yet', async () => {
    fakeAuthApi({ 'GET /api-keys': keys() });
    renderInConsole(<ApiKeysPage />);
    expect(await screen.findByText('No API key yet.')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'API keys' })).toBeNull();
  });

  it('says why the keys could not be loaded', async () => {
    fakeAuthApi({ 'GET /api-keys': refusal(500, 'error', 'HTTP 500') });
    renderInConsole(<ApiKeysPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the API keys: HTTP 500');
  });

  it('lists each key by its prefix with its scopes, who created it and when it was last used', async () => {
    fakeAuthApi({
      'GET /api-keys': keys(apiKey(), apiKey({ id: 'key-2', name: 'Sync', createdBy: null, lastUsedAt: LATER })),
    });
    renderInConsole(<ApiKeysPage />);
    const table = await screen.findByRole('table', { name: 'API keys' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      ['Reportingby dev@enginy.local', 'ek_3f9a…', 'CONTACTS_READ', formatTime(apiKey().createdAt), 'never', 'Revoke'],
      ['Sync', 'ek_3f9a…', 'CONTACTS_READ', formatTime(apiKey().createdAt), formatTime(LATER), 'Revoke'],
    ]);
  });

  it('a member sees the keys without Revoke and without the form', async () => {
    fakeAuthApi({ 'GET /api-keys': keys(apiKey()) });
    renderInConsole(<ApiKeysPage />, { as: 'member' });
    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(within(table).queryByRole('columnheader', { name: 'Actions' })).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'New API key' })).toBeNull();
  });

  it('refuses a key without scopes before asking the server', async () => {
    const api = fakeAuthApi({ 'GET /api-keys': keys() });
    const { user } = renderInConsole(<ApiKeysPage />);
    await user.type(await screen.findByLabelText('Key name'), 'Reporting');
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Choose at least one scope: a key without scopes is denied everything.',
    );
    expect(api.sent('POST')).toEqual([]);
  });

  it('shows a created key once, then lists it', async () => {
    const api = fakeAuthApi({
      'GET /api-keys': [keys(), keys(apiKey())],
      'POST /api-keys': answer(
        CreatedApiKey,
        { id: 'key-1', key: 'ek_3f9a_secret', name: 'Reporting', scopes: ['CONTACTS_READ'] },
        201,
      ),
    });
    const { user } = renderInConsole(<ApiKeysPage />);
    await user.type(await screen.findByLabelText('Key name'), 'Reporting');
    await user.click(screen.getByLabelText('CONTACTS_READ'));
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    const shown = await screen.findByRole('region', { name: 'API key Reporting' });
    expect(within(shown).getByTestId('API key').textContent).toBe('ek_3f9a_secret');
    expect(api.requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Reporting',
      scopes: ['CONTACTS_READ'],
    });
    expect(await screen.findByRole('table', { name: 'API keys' })).toBeTruthy();
    expect(screen.getByText('API key Reporting created')).toBeTruthy();
    await user.click(within(shown).getByRole('button', { name: 'Done, I saved it' }));
    expect(screen.queryByText('ek_3f9a_secret')).toBeNull();
  });

  it('a key the server refuses says why, and nothing is shown as created', async () => {
    fakeAuthApi({
      'GET /api-keys': keys(),
      'POST /api-keys': refusal(422, 'validation_failed', 'scopes[0]: is not an Enginy scope'),
    });
    const { user } = renderInConsole(<ApiKeysPage />);
    await user.type(await screen.findByLabelText('Key name'), 'Reporting');
    await user.click(screen.getByLabelText('CONTACTS_READ'));
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    expect((await screen.findByRole('alert')).textContent).toBe('scopes[0]: is not an Enginy scope');
    expect(screen.queryByRole('region', { name: 'API key Reporting' })).toBeNull();
  });

  it('revokes after the confirmation, and not without it', async () => {
    const api = fakeAuthApi({
      'GET /api-keys': [keys(apiKey()), keys()],
      'POST /api-keys/key-1/revoke': NO_CONTENT,
    });
    const confirm = answerConfirmations(false, true);
    const { user } = renderInConsole(<ApiKeysPage />);
    const revoke = await screen.findByRole('button', { name: 'Revoke Reporting' });
    await user.click(revoke);
    expect(confirm).toHaveBeenCalledWith('Revoke Reporting? Requests with it are refused at once.');
    expect(api.sent('POST')).toEqual([]);
    await user.click(revoke);
    expect(await screen.findByText('API key Reporting revoked')).toBeTruthy();
    expect(api.sent('POST')).toEqual(['POST /api-keys/key-1/revoke']);
    expect(await screen.findByText('No API key yet.')).toBeTruthy();
  });
});
