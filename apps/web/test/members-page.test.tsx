import { MemberList, RemovedMember } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MembersPage } from '../src/console/pages/members-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { ADMIN_MEMBER, member, PLAIN_MEMBER } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const members = (...list: ReturnType<typeof member>[]) => answer(MemberList, { members: list });
const SECOND_ADMIN = member({ userId: 'u-ops', email: 'ops@enginy.local', name: 'Ops Admin', activeConnections: 1 });

describe('Members page', () => {
  it('says it is loading until the members arrive', async () => {
    fakeAuthApi({ 'GET /members': NO_ANSWER });
    renderInConsole(<MembersPage />);
    expect((await screen.findByText('Loading members…')).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says so when there is nobody', async () => {
    fakeAuthApi({ 'GET /members': members() });
    renderInConsole(<MembersPage />);
    expect(await screen.findByText('No members.')).toBeTruthy();
    expect(screen.queryByText('Loading members…')).toBeNull();
  });

  it('says why the members could not be loaded', async () => {
    fakeAuthApi({ 'GET /members': refusal(404, 'not_found', 'Not found') });
    renderInConsole(<MembersPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the members: Not found');
    expect(screen.queryByText('Loading members…')).toBeNull();
  });

  it('lists everyone with their role and connections; the last admin cannot be removed, and says why', async () => {
    fakeAuthApi({ 'GET /members': members(ADMIN_MEMBER, PLAIN_MEMBER) });
    renderInConsole(<MembersPage />);
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Name', 'Email', 'Role', 'Active connections', 'Member since', 'Actions']);
    const me = within(table).getByTestId('member-dev@enginy.local');
    expect(within(me).getByText('Dev Admin').parentElement?.textContent).toBe('Dev Admin (you)');
    const removeMe = within(me).getByRole('button', { name: 'Remove dev@enginy.local' }) as HTMLButtonElement;
    expect(removeMe.disabled).toBe(true);
    expect(me.textContent).toContain('You are the only admin of Acme Outreach');
    const them = within(table).getByTestId('member-member@enginy.local');
    expect(within(them).getByTestId('active-connections').textContent).toBe('2');
    expect(
      (within(them).getByRole('button', { name: 'Remove member@enginy.local' }) as HTMLButtonElement).disabled,
    ).toBe(false);
  });

  it('a member sees the list read-only, with the reason and no Remove button', async () => {
    fakeAuthApi({ 'GET /members': members(ADMIN_MEMBER, PLAIN_MEMBER) });
    renderInConsole(<MembersPage />, { as: 'member' });
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(screen.getByTestId('members-read-only').textContent).toBe(
      'Read-only: Only an admin of Acme Outreach can remove members; your role is member.',
    );
    expect(within(table).queryByRole('columnheader', { name: 'Actions' })).toBeNull();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });

  it('asks before removing, naming the member and the connections that end, and removes after Remove', async () => {
    const api = fakeAuthApi({
      'GET /members': [members(ADMIN_MEMBER, PLAIN_MEMBER), members(ADMIN_MEMBER)],
      'DELETE /members/u-member': answer(RemovedMember, {
        removed: 'u-member',
        email: 'member@enginy.local',
        endedConnections: 2,
      }),
    });
    const { user } = renderInConsole(<MembersPage />);
    await user.click(await screen.findByRole('button', { name: 'Remove member@enginy.local' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('Remove Mia Member (member@enginy.local) from Acme Outreach?');
    expect(dialog.textContent).toContain('Their 2 active connections in Acme Outreach end at once');
    expect(api.sent('DELETE')).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Remove member@enginy.local' }));
    expect(
      await screen.findByText('Removed member@enginy.local from Acme Outreach: 2 connections ended.'),
    ).toBeTruthy();
    expect(api.requests.find((r) => r.method === 'DELETE')?.csrfToken).toBe('csrf-admin');
    expect(screen.queryByTestId('member-member@enginy.local')).toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('Cancel closes the question and removes nobody', async () => {
    const api = fakeAuthApi({ 'GET /members': members(ADMIN_MEMBER, SECOND_ADMIN) });
    const { user } = renderInConsole(<MembersPage />);
    await user.click(await screen.findByRole('button', { name: 'Remove ops@enginy.local' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('Their 1 active connection in Acme Outreach ends');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.sent('DELETE')).toEqual([]);
  });

  it('a removal the server refuses says why, and the member stays', async () => {
    fakeAuthApi({
      'GET /members': members(ADMIN_MEMBER, SECOND_ADMIN),
      'DELETE /members/u-ops': refusal(409, 'last_admin', 'A workspace needs at least one admin'),
    });
    const { user } = renderInConsole(<MembersPage />);
    await user.click(await screen.findByRole('button', { name: 'Remove ops@enginy.local' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove ops@enginy.local' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'ops@enginy.local was not removed: A workspace needs at least one admin',
    );
    expect(screen.getByTestId('member-ops@enginy.local')).toBeTruthy();
  });
});
