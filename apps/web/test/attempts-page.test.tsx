import { AttemptList } from '@enginy/contracts/console';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AttemptsPage } from '../src/console/pages/attempts-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { attempt } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const attempts = (...list: ReturnType<typeof attempt>[]) => answer(AttemptList, { attempts: list });

const DENIED = attempt({
  id: 'attempt-2',
  outcome: 'denied',
  reason: 'redirect_uri_not_allowed',
  message: 'redirect_uri is not allowed',
  redirectUri: 'http://127.0.0.1:3118/callback',
  details: { sent: 'http://127.0.0.1:3118/callback', allowed: ['http://localhost:3118/callback'] },
});
const SETTINGS_CHANGED = attempt({
  id: 'attempt-3',
  kind: 'admin',
  clientId: null,
  clientName: null,
  redirectUri: null,
  requestedScopes: [],
  reason: 'settings_changed',
  message: 'Settings changed by dev@enginy.local',
  details: { before: { enabled: true, policyScopes: ['CONTACTS_READ'] }, after: { enabled: false, policyScopes: [] } },
});

describe('Authorization attempts page', () => {
  it('says it is loading until the attempts arrive', async () => {
    fakeAuthApi({ 'GET /attempts': NO_ANSWER });
    renderInConsole(<AttemptsPage />);
    expect((await screen.findByText('Loading authorization attempts…')).getAttribute('role')).toBe('status');
  });

  it('says when no attempt matches', async () => {
    fakeAuthApi({ 'GET /attempts': attempts() });
    renderInConsole(<AttemptsPage />);
    expect(await screen.findByText(/^No attempt matches\./)).toBeTruthy();
  });

  it('says why the attempts could not be loaded', async () => {
    fakeAuthApi({ 'GET /attempts': refusal(422, 'validation_failed', 'outcome: must be given once, as text') });
    renderInConsole(<AttemptsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not load the attempts: outcome: must be given once, as text',
    );
  });

  it('shows each attempt with its outcome, reason and details in words, and what an admin change changed', async () => {
    fakeAuthApi({
      'GET /attempts': attempts(attempt(), DENIED, SETTINGS_CHANGED, attempt({ id: 'a-4', unauthenticated: true })),
    });
    renderInConsole(<AttemptsPage />);
    const table = await screen.findByRole('table', { name: 'Authorization attempts' });
    const rows = within(table).getAllByRole('row').slice(1) as HTMLElement[];
    expect(rows.map((row) => row.getAttribute('data-outcome'))).toEqual(['allowed', 'denied', 'allowed', 'allowed']);
    expect(rows.map((row) => row.querySelector('.badge')?.textContent)).toEqual([
      'allowed',
      'denied',
      'admin change',
      'allowed',
    ]);
    const denied = rows[1] as HTMLElement;
    expect(within(denied).getByText('redirect_uri is not allowed')).toBeTruthy();
    expect([...denied.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual([
      'Redirect URI sent',
      'Allowlisted',
    ]);
    const change = rows[2] as HTMLElement;
    expect([...change.querySelectorAll('dl > div')].map((d) => d.textContent)).toEqual([
      'MCP enabledtrue → false',
      'MCP policy scopesCONTACTS_READ → (none)',
    ]);
    expect(within(rows[3] as HTMLElement).getByText('before sign-in, unauthenticated')).toBeTruthy();
  });

  it('asks the server for the outcome and reason picked, and filters admin changes in the page', async () => {
    const fake = fakeAuthApi({
      'GET /attempts': (request) =>
        request.search.get('outcome') === 'denied' ? attempts(DENIED) : attempts(attempt(), DENIED, SETTINGS_CHANGED),
    });
    const { user } = renderInConsole(<AttemptsPage />);
    // A new filter starts the list over: read the table afresh each time.
    const rows = () => within(screen.getByRole('table', { name: 'Authorization attempts' })).getAllByRole('row');
    await screen.findByRole('table', { name: 'Authorization attempts' });
    expect(rows()).toHaveLength(4);
    await user.selectOptions(screen.getByLabelText('Kind'), 'admin');
    expect(rows()).toHaveLength(2);
    await user.selectOptions(screen.getByLabelText('Kind'), '');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'denied');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(fake.requests.at(-1)?.search.toString()).toBe('limit=100&outcome=denied');
    await user.selectOptions(screen.getByLabelText('Reason'), 'Token exchange failed');
    await waitFor(() =>
      expect(fake.requests.at(-1)?.search.toString()).toBe('limit=100&outcome=denied&reason=token_exchange_failed'),
    );
  });
});
