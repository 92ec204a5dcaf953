import { AttemptList, ConnectionList, McpSettings } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectPage } from '../src/console/pages/connect-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal, type Route } from './support/fake-auth-api.ts';
import { attempt, connection, settings } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const NONE = answer(ConnectionList, { connections: [], ended: [], endedWithinDays: 30 });
const NO_ATTEMPT = answer(AttemptList, { attempts: [] });
const SAVED = answer(McpSettings, settings({ allowedRedirectUris: [] }));
const waiting = () => screen.getByText(/^(Waiting|Connected|Could not check)/).closest('[role="status"]');

/** The page opened on Claude Code's tab, answering `routes`. */
function openConnect(routes: Record<string, Route>) {
  window.history.replaceState(null, '', '/console/connect?client=claude-code');
  return routes;
}

describe('Connect page', () => {
  it('says it is loading the settings, and that it is waiting for a connection', async () => {
    fakeAuthApi(openConnect({ 'GET /mcp-settings': NO_ANSWER, 'GET /connections': NONE, 'GET /attempts': NO_ATTEMPT }));
    renderInConsole(<ConnectPage />);
    expect(await screen.findByText('Loading the workspace settings…')).toBeTruthy();
    expect((await screen.findByText('Waiting for the first connection…')).parentElement?.dataset.state).toBe('waiting');
    expect(screen.getByTestId('mcp-url').textContent).toBe('http://localhost:3001/mcp');
  });

  it('says why the settings or the connections could not be read', async () => {
    fakeAuthApi(
      openConnect({
        'GET /mcp-settings': refusal(500, 'error', 'HTTP 500'),
        'GET /connections': refusal(503, 'error', 'HTTP 503'),
        'GET /attempts': NO_ATTEMPT,
      }),
    );
    renderInConsole(<ConnectPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not read the MCP settings: HTTP 500');
    expect((await screen.findByText(/^Could not check for connections/)).textContent).toBe(
      'Could not check for connections: HTTP 503',
    );
  });

  it('while waiting, shows the latest authorization attempt and why it did not connect', async () => {
    fakeAuthApi(
      openConnect({
        'GET /mcp-settings': SAVED,
        'GET /connections': NONE,
        'GET /attempts': answer(AttemptList, {
          attempts: [
            attempt({ kind: 'admin', message: 'Settings changed' }),
            attempt({ outcome: 'denied', message: 'redirect_uri is not allowed' }),
          ],
        }),
      }),
    );
    renderInConsole(<ConnectPage />);
    const latest = await screen.findByTestId('latest-attempt');
    expect(within(latest).getByText('denied')).toBeTruthy();
    expect(latest.querySelector('.reason')?.textContent).toBe('redirect_uri is not allowed');
    expect(within(screen.getByRole('tab', { name: 'Claude Code' })).queryByTitle(/not allowed yet/)).toBeTruthy();
  });

  it('turns green when the first connection arrives', async () => {
    fakeAuthApi(
      openConnect({
        'GET /mcp-settings': SAVED,
        'GET /connections': answer(ConnectionList, { connections: [connection()], ended: [], endedWithinDays: 30 }),
        'GET /attempts': NO_ATTEMPT,
      }),
    );
    renderInConsole(<ConnectPage />);
    const connected = await screen.findByText(/^Connected:/);
    expect(connected.textContent).toMatch(
      /^Connected: Claude Code for dev@enginy\.local, last used .+\. See connections$/,
    );
    expect(waiting()?.getAttribute('data-state')).toBe('connected');
    expect(screen.queryByTestId('latest-attempt')).toBeNull();
  });

  it("a member sees the redirect URI to add, and why they can't add it", async () => {
    fakeAuthApi(openConnect({ 'GET /mcp-settings': SAVED, 'GET /connections': NONE, 'GET /attempts': NO_ATTEMPT }));
    renderInConsole(<ConnectPage />, { as: 'member' });
    const add = (await screen.findByRole('button', { name: /^Add .+ to Allowed redirect URIs$/ })) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    expect(screen.getByText('Only an admin of Acme Outreach can change Allowed redirect URIs.')).toBeTruthy();
  });

  it('an admin adding the redirect URI the server refuses sees why', async () => {
    fakeAuthApi(
      openConnect({
        'GET /mcp-settings': SAVED,
        'PUT /mcp-settings': refusal(403, 'forbidden', 'Only an admin of the workspace can change this'),
        'GET /connections': NONE,
        'GET /attempts': NO_ATTEMPT,
      }),
    );
    const { user } = renderInConsole(<ConnectPage />);
    await user.click(await screen.findByRole('button', { name: /^Add .+ to Allowed redirect URIs$/ }));
    expect((await screen.findByText(/^Not added:/)).textContent).toBe(
      'Not added: Only an admin of the workspace can change this',
    );
  });
});
