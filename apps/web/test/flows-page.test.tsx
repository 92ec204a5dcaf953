import { FlowList } from '@enginy/contracts/flows';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FlowsPage } from '../src/console/pages/flows-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { AT, flow } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const flows = (...list: ReturnType<typeof flow>[]) => answer(FlowList, { flows: list });

const STOPPED = flow({
  id: 'flow-stopped',
  outcome: 'stopped',
  client: { id: 'client-codex', name: null },
  stoppedAt: {
    step: 'authorize',
    reason: 'redirect_uri_not_allowed',
    message: 'redirect_uri is not allowed',
    fix: 'Add http://127.0.0.1:1455/auth/callback to Allowed redirect URIs',
  },
  steps: [
    {
      id: 'step-1',
      at: AT,
      step: 'register',
      sent: { redirect_uris: ['http://127.0.0.1:1455/auth/callback'] },
      userAgent: 'codex/0.1',
      status: 201,
      error: null,
      description: null,
      fix: null,
      scenarios: [],
    },
    {
      id: 'step-2',
      at: AT,
      step: 'authorize',
      sent: { client_id: 'client-codex', redirect_uri: 'http://127.0.0.1:1455/auth/callback' },
      userAgent: null,
      status: 400,
      error: 'invalid_request',
      description: 'redirect_uri is not allowed',
      fix: 'Add http://127.0.0.1:1455/auth/callback to Allowed redirect URIs',
      scenarios: ['token-5xx'],
    },
  ],
});

describe('Flows page', () => {
  it('says it is loading until the flows arrive', async () => {
    fakeAuthApi({ 'GET /flows': NO_ANSWER });
    renderInConsole(<FlowsPage />);
    expect((await screen.findByText('Loading flows…')).getAttribute('role')).toBe('status');
  });

  it('says when no flow matches', async () => {
    fakeAuthApi({ 'GET /flows': flows() });
    renderInConsole(<FlowsPage />);
    expect(await screen.findByText(/^No flow matches\./)).toBeTruthy();
  });

  it('says why the flows could not be loaded', async () => {
    fakeAuthApi({ 'GET /flows': refusal(500, 'error', 'HTTP 500') });
    renderInConsole(<FlowsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the flows: HTTP 500');
  });

  it('lists each flow closed, and opens one into its timeline with where it stopped and the fix', async () => {
    fakeAuthApi({ 'GET /flows': flows(flow(), STOPPED) });
    const { user } = renderInConsole(<FlowsPage />);
    const list = await screen.findByRole('list', { name: 'Flows' });
    const [connected, stopped] = within(list).getAllByRole('button') as HTMLElement[];
    expect(connected?.textContent).toContain('Claude Code');
    expect(stopped?.textContent).toContain('client-codexstopped2 steps, stopped at /authorize');
    expect(screen.queryByRole('list', { name: 'Timeline' })).toBeNull();

    await user.click(stopped as HTMLElement);
    expect(stopped?.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('note').textContent).toBe(
      'Stopped at /authorize: redirect_uri is not allowedFix: Add http://127.0.0.1:1455/auth/callback to Allowed redirect URIs',
    );
    const steps = within(screen.getByRole('list', { name: 'Timeline' })).getAllByRole('listitem');
    expect(steps.map((step) => [step.getAttribute('data-step'), step.className])).toEqual([
      ['register', 'timeline-step ok'],
      ['authorize', 'timeline-step failed'],
    ]);
    expect(within(steps[0] as HTMLElement).getByText('codex/0.1')).toBeTruthy();
    expect(within(steps[1] as HTMLElement).getByText('token-5xx')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy as JSON' })).toBeTruthy();

    await user.click(stopped as HTMLElement);
    expect(screen.queryByRole('list', { name: 'Timeline' })).toBeNull();
  });

  it('asks the server for the outcome and client picked', async () => {
    const fake = fakeAuthApi({ 'GET /flows': flows(flow()) });
    const { user } = renderInConsole(<FlowsPage />);
    await screen.findByRole('list', { name: 'Flows' });
    await user.selectOptions(screen.getByLabelText('Outcome'), 'stopped');
    await user.type(screen.getByLabelText('Client ID'), 'c1');
    await waitFor(() => expect(fake.requests.at(-1)?.search.toString()).toBe('limit=100&outcome=stopped&clientId=c1'));
  });
});
