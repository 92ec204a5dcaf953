import { MemberList, WorkspaceList } from '@enginy/contracts/console';
import { LabOverview } from '@enginy/contracts/console-failure-lab';
import { Session } from '@enginy/contracts/session';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ConsoleApp } from '../src/console/console-app.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal, type Route } from './support/fake-auth-api.ts';
import { ADMIN_MEMBER, ADMIN_SESSION, AT, labScenario, MEMBER_SESSION, WORKSPACE } from './support/fixtures.ts';

const GLOBEX = { id: 'ws-globex', slug: 'globex', name: 'Globex Sales', role: 'admin' };
const NOT_SIGNED_IN = refusal(401, 'not_signed_in', 'Sign in first');

function openConsole(routes: Record<string, Route>, path = '/console/members') {
  window.history.replaceState(null, '', path);
  const fake = fakeAuthApi({
    'GET /session': answer(Session, ADMIN_SESSION),
    'GET /console/workspaces': answer(WorkspaceList, { workspaces: [WORKSPACE, GLOBEX] }),
    'GET /failure-lab': answer(LabOverview, { scenarios: [] }),
    'GET /members': answer(MemberList, { members: [ADMIN_MEMBER] }),
    ...routes,
  });
  const user = userEvent.setup();
  render(<ConsoleApp path={path} />);
  return { fake, user };
}

describe('The console layout', () => {
  it('says it is loading until the session is known', async () => {
    openConsole({ 'GET /session': NO_ANSWER });
    expect((await screen.findByText('Loading the console…')).getAttribute('role')).toBe('status');
  });

  it('asks to sign in without a session, says why a sign-in failed, and opens the page after one', async () => {
    const { user } = openConsole({
      'GET /session': [NOT_SIGNED_IN, answer(Session, ADMIN_SESSION)],
      'POST /session': [refusal(401, 'invalid_credentials', 'Wrong email or password'), answer(Session, ADMIN_SESSION)],
    });
    await user.type(await screen.findByLabelText('Email'), 'dev@enginy.local');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Members' })).toBeTruthy();
    expect(screen.getByText('dev@enginy.local', { selector: 'strong' })).toBeTruthy();
  });

  it('says why the console could not load', async () => {
    openConsole({ 'GET /console/workspaces': refusal(503, 'error', 'HTTP 503') });
    expect((await screen.findByRole('alert')).textContent).toBe('The console could not load: HTTP 503');
  });

  it('says so to someone in no workspace', async () => {
    openConsole({ 'GET /console/workspaces': answer(WorkspaceList, { workspaces: [] }) });
    expect((await screen.findByRole('alert')).textContent).toBe('You are not a member of any workspace.');
  });

  it('shows the nav with the current page, the workspace switcher and the page', async () => {
    openConsole({});
    const nav = await screen.findByRole('navigation', { name: 'Console' });
    expect(within(nav).getByRole('link', { name: 'Members' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getAllByRole('link')).toHaveLength(10);
    expect(
      within(screen.getByLabelText('Workspace'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Acme Outreach (admin)', 'Globex Sales (admin)']);
    expect(await screen.findByRole('table', { name: 'Members' })).toBeTruthy();
    expect(document.title).toBe('Members · Enginy console');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('tells a member that they can look but not change', async () => {
    openConsole({
      'GET /session': answer(Session, MEMBER_SESSION),
      'GET /console/workspaces': answer(WorkspaceList, { workspaces: [{ ...WORKSPACE, role: 'member' }] }),
    });
    expect((await screen.findByText(/^You are a member of Acme Outreach/)).textContent).toBe(
      'You are a member of Acme Outreach: you can see everything here, only an admin can change it.',
    );
  });

  it('names every failure-lab scenario in force, on every page', async () => {
    openConsole({
      'GET /failure-lab': answer(LabOverview, {
        scenarios: [
          labScenario({
            name: 'slow-token',
            on: true,
            state: {
              scope: 'global',
              options: {},
              remaining: null,
              switchedOnBy: 'dev@enginy.local',
              switchedOnAt: AT,
            },
          }),
          labScenario(),
        ],
      }),
    });
    const banner = await screen.findByRole('status', { name: 'Failure lab' });
    expect(banner.textContent).toMatch(/^Failure lab on: slow-token\. Clients connecting to this stack/);
  });

  it('goes back to sign-in when the session ends under a page', async () => {
    openConsole({ 'GET /members': NOT_SIGNED_IN });
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Console' })).toBeNull();
  });
});
