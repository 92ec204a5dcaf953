import { McpSettings, PreviewAnswer } from '@enginy/contracts/console';
import { decideAuthorization } from '@enginy/policy/authorization';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PreviewPage } from '../src/console/pages/preview-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { settings } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const SAVED = settings({ allowedClientIds: ['pinned-client'] });
const decision = () => screen.getByRole('status', { name: 'Decision' });

describe('Policy preview page', () => {
  it('says it is loading until the settings arrive', async () => {
    fakeAuthApi({ 'GET /mcp-settings': NO_ANSWER });
    renderInConsole(<PreviewPage />);
    expect((await screen.findByText('Loading the MCP settings…')).getAttribute('role')).toBe('status');
  });

  it('says why the settings could not be read', async () => {
    fakeAuthApi({ 'GET /mcp-settings': refusal(500, 'error', 'HTTP 500') });
    renderInConsole(<PreviewPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not read the MCP settings: HTTP 500');
  });

  it('decides in the page as the client ID, redirect URI and scopes change', async () => {
    fakeAuthApi({ 'GET /mcp-settings': answer(McpSettings, SAVED) });
    const { user } = renderInConsole(<PreviewPage />);
    await screen.findByRole('heading', { name: 'Policy preview' });
    expect(decision().textContent).toBe('Enter a client ID and a redirect URI.');

    await user.type(screen.getByLabelText('Client ID'), 'pinned-client');
    expect(decision().textContent).toBe('Allowed. The client would be granted: CONTACTS_READ');

    await user.click(screen.getByLabelText('MESSAGING_WRITE', { exact: true }));
    expect(decision().querySelector('.reason')?.textContent).toBe('Requested scopes are not allowed');
    expect(decision().textContent).toContain('Sent back to the client: error=invalid_scope.');

    await user.click(screen.getByLabelText('MESSAGING_WRITE', { exact: true }));
    await user.clear(screen.getByLabelText('Client ID'));
    await user.type(screen.getByLabelText('Client ID'), 'someone-else');
    expect(decision().querySelector('.reason')?.textContent).toBe('OAuth client_id is not allowed');
    expect(decision().textContent).toContain('Shown on the error page; nothing is sent back to the client.');
  });

  it("shows the server's own decision, and whether it is the same", async () => {
    const fake = fakeAuthApi({
      'GET /mcp-settings': answer(McpSettings, SAVED),
      'POST /preview': (request) =>
        answer(PreviewAnswer, {
          decision: decideAuthorization(SAVED, {
            clientId: (request.body as { clientId: string }).clientId,
            redirectUri: (request.body as { redirectUri: string }).redirectUri,
            scope: undefined,
          }),
        }),
    });
    const { user } = renderInConsole(<PreviewPage />);
    await user.type(await screen.findByLabelText('Client ID'), 'someone-else');
    await user.click(screen.getByRole('button', { name: 'Ask the server' }));
    expect((await screen.findByRole('region', { name: 'Server decision' })).textContent).toBe(
      'The server decides: OAuth client_id is not allowed (the same decision as above)',
    );
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({
      clientId: 'someone-else',
      redirectUri: 'http://localhost:3118/callback',
      scopes: [],
    });
    await user.type(screen.getByLabelText('Client ID'), 'x');
    expect(screen.queryByRole('region', { name: 'Server decision' })).toBeNull();
  });

  it('says when the server did not answer', async () => {
    fakeAuthApi({
      'GET /mcp-settings': answer(McpSettings, SAVED),
      'POST /preview': refusal(422, 'validation_failed', 'redirectUri: is required (at most 2048 characters)'),
    });
    const { user } = renderInConsole(<PreviewPage />);
    await user.type(await screen.findByLabelText('Client ID'), 'pinned-client');
    await user.click(screen.getByRole('button', { name: 'Ask the server' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The server did not answer: redirectUri: is required (at most 2048 characters)',
    );
  });
});
