import { ConnectionList, Revoked } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectionsPage } from '../src/console/pages/connections-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { connection, endedConnection } from './support/fixtures.ts';
import { answerConfirmations, renderInConsole } from './support/render-in-console.tsx';

const list = (connections: ReturnType<typeof connection>[], ended: ReturnType<typeof endedConnection>[] = []) =>
  answer(ConnectionList, { connections, ended, endedWithinDays: 30 });

describe('Active connections page', () => {
  it('says it is loading until the connections arrive', async () => {
    fakeAuthApi({ 'GET /connections': NO_ANSWER });
    renderInConsole(<ConnectionsPage />);
    expect((await screen.findByText('Loading connections…')).getAttribute('role')).toBe('status');
  });

  it('with no connection, says where to look instead', async () => {
    fakeAuthApi({ 'GET /connections': list([]) });
    renderInConsole(<ConnectionsPage />);
    const empty = await screen.findByText(/^No active connection\./);
    expect(within(empty).getByRole('link', { name: 'authorization attempts' }).getAttribute('href')).toBe(
      '/console/attempts',
    );
    expect(screen.queryByRole('heading', { name: 'Recently ended connections' })).toBeNull();
  });

  it('says why the connections could not be loaded', async () => {
    fakeAuthApi({ 'GET /connections': refusal(503, 'error', 'HTTP 503') });
    renderInConsole(<ConnectionsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not refresh the connections: HTTP 503');
  });

  it('shows each grant with its scopes, those the policy now cuts, and its calls per tool', async () => {
    fakeAuthApi({
      'GET /connections': list([
        connection({
          grantedScopes: ['CONTACTS_READ', 'MESSAGING_WRITE'],
          effectiveScopes: ['CONTACTS_READ'],
          callsByTool: [
            { tool: 'search_contacts', calls: 2, lastCalledAt: '2026-12-01T11:00:00.000Z' },
            { tool: 'mcp_whoami', calls: 1, lastCalledAt: '2026-12-01T11:00:00.000Z' },
          ],
        }),
      ]),
    });
    renderInConsole(<ConnectionsPage />);
    const table = await screen.findByRole('table', { name: 'Active connections' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    const cut = within(row).getByText('Not in effect under the current policy:');
    expect([...cut.querySelectorAll('code')].map((chip) => chip.textContent)).toEqual([
      'MESSAGING_READ',
      'MESSAGING_WRITE',
    ]);
    expect(within(row).getByTestId('calls').textContent).toBe('3');
    expect(
      within(row)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['search_contacts: 2', 'mcp_whoami: 1']);
    expect(within(row).getByRole('button', { name: 'Revoke Claude Code for dev@enginy.local' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Revoke all for Claude Code' })).toBeTruthy();
  });

  it('lists the connections that ended without a revoke apart, with the reason', async () => {
    fakeAuthApi({ 'GET /connections': list([], [endedConnection()]) });
    renderInConsole(<ConnectionsPage />);
    const ended = await screen.findByRole('table', { name: 'Recently ended connections' });
    expect(screen.getByText(/^Ended in the last 30 days/)).toBeTruthy();
    expect(within(ended).getByTestId('ended-connection').textContent).toContain(
      'Ended their member was removed from Acme Outreach',
    );
  });

  it('a member sees the connections without Revoke', async () => {
    fakeAuthApi({ 'GET /connections': list([connection()]) });
    renderInConsole(<ConnectionsPage />, { as: 'member' });
    const table = await screen.findByRole('table', { name: 'Active connections' });
    expect(within(table).queryByRole('columnheader', { name: 'Actions' })).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('revokes one connection after the confirmation', async () => {
    const confirm = answerConfirmations(true);
    const fake = fakeAuthApi({
      'GET /connections': [list([connection()]), list([])],
      'POST /connections/grant-1/revoke': answer(Revoked, { revoked: ['grant-1'] }),
    });
    const { user } = renderInConsole(<ConnectionsPage />);
    await user.click(await screen.findByRole('button', { name: 'Revoke Claude Code for dev@enginy.local' }));
    expect(confirm).toHaveBeenCalledWith(
      "Revoke Claude Code for dev@enginy.local? The client's next call fails; it must authorize again.",
    );
    expect(await screen.findByText('Revoked 1 connection(s): their tokens stopped working at once.')).toBeTruthy();
    expect(fake.sent('POST')).toEqual(['POST /connections/grant-1/revoke']);
    expect(await screen.findByText(/^No active connection\./)).toBeTruthy();
  });

  it('revokes every connection of a client', async () => {
    answerConfirmations(true);
    const fake = fakeAuthApi({
      'GET /connections': list([connection(), connection({ grantId: 'grant-2', userEmail: 'member@enginy.local' })]),
      'POST /clients/client-claude/revoke-all': answer(Revoked, { revoked: ['grant-1', 'grant-2'] }),
    });
    const { user } = renderInConsole(<ConnectionsPage />);
    const [first] = await screen.findAllByRole('button', { name: 'Revoke all for Claude Code' });
    await user.click(first as HTMLElement);
    expect(await screen.findByText('Revoked 2 connection(s): their tokens stopped working at once.')).toBeTruthy();
    expect(fake.sent('POST')).toEqual(['POST /clients/client-claude/revoke-all']);
  });

  it('a declined confirmation revokes nothing', async () => {
    answerConfirmations(false);
    const fake = fakeAuthApi({ 'GET /connections': list([connection()]) });
    const { user } = renderInConsole(<ConnectionsPage />);
    await user.click(await screen.findByRole('button', { name: 'Revoke Claude Code for dev@enginy.local' }));
    expect(fake.sent('POST')).toEqual([]);
  });

  it('a revoke the server refuses says why, and the connection stays listed', async () => {
    answerConfirmations(true);
    fakeAuthApi({
      'GET /connections': list([connection()]),
      'POST /connections/grant-1/revoke': refusal(404, 'not_found', 'Connection not found or already revoked'),
    });
    const { user } = renderInConsole(<ConnectionsPage />);
    await user.click(await screen.findByRole('button', { name: 'Revoke Claude Code for dev@enginy.local' }));
    expect((await screen.findByText(/^Not revoked:/)).textContent).toBe(
      'Not revoked: Connection not found or already revoked',
    );
    expect(screen.getByRole('table', { name: 'Active connections' })).toBeTruthy();
  });

  it('a refresh that fails keeps the last list on screen and says so', async () => {
    answerConfirmations(true);
    fakeAuthApi({
      'GET /connections': [list([connection()]), refusal(503, 'error', 'HTTP 503')],
      'POST /connections/grant-1/revoke': answer(Revoked, { revoked: ['grant-1'] }),
    });
    const { user } = renderInConsole(<ConnectionsPage />);
    await user.click(await screen.findByRole('button', { name: 'Revoke Claude Code for dev@enginy.local' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not refresh the connections: HTTP 503');
    expect(screen.getByRole('table', { name: 'Active connections' })).toBeTruthy();
  });
});
