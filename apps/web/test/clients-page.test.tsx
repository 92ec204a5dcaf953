import { CimdClientList, ClientList, CreatedClient, RotatedSecret } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClientsPage } from '../src/console/pages/clients-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, NO_CONTENT, refusal, type Route } from './support/fake-auth-api.ts';
import { cimdClient, preregisteredClient } from './support/fixtures.ts';
import { answerConfirmations, renderInConsole } from './support/render-in-console.tsx';

const clients = (...list: ReturnType<typeof preregisteredClient>[]) => answer(ClientList, { clients: list });
const noCimd = answer(CimdClientList, { clients: [] });
const api = (routes: Record<string, Route>) => fakeAuthApi({ 'GET /cimd-clients': noCimd, ...routes });

async function fillNewClient(user: ReturnType<typeof renderInConsole>['user'], redirectUri: string) {
  await user.type(await screen.findByLabelText('Name'), 'CI client');
  const uris = screen.getByLabelText('Redirect URIs (one per line)');
  await user.clear(uris);
  await user.type(uris, redirectUri);
  await user.selectOptions(screen.getByLabelText('Token endpoint authentication'), 'client_secret_basic');
  await user.click(screen.getByRole('button', { name: 'Create client' }));
}

describe('OAuth clients page: pre-registered clients', () => {
  it('says it is loading until the clients arrive', async () => {
    api({ 'GET /clients': NO_ANSWER, 'GET /cimd-clients': NO_ANSWER });
    renderInConsole(<ClientsPage />);
    expect((await screen.findByText('Loading clients…')).getAttribute('role')).toBe('status');
    expect(screen.getByText('Loading metadata document clients…')).toBeTruthy();
  });

  it('says there is none yet, of either kind', async () => {
    api({ 'GET /clients': clients() });
    renderInConsole(<ClientsPage />);
    expect(await screen.findByText('No pre-registered client yet.')).toBeTruthy();
    expect(await screen.findByText('No metadata document client has tried Acme Outreach yet.')).toBeTruthy();
  });

  it('says why the clients could not be loaded', async () => {
    api({ 'GET /clients': refusal(500, 'error', 'HTTP 500') });
    renderInConsole(<ClientsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the clients: HTTP 500');
  });

  it('lists each client with its ID, redirect URIs and authentication', async () => {
    api({
      'GET /clients': clients(
        preregisteredClient({ redirectUris: ['http://localhost:3118/callback', 'http://localhost:4000/cb'] }),
      ),
    });
    renderInConsole(<ClientsPage />);
    const table = await screen.findByRole('table', { name: 'Pre-registered clients' });
    const [row] = within(table).getAllByRole('row').slice(1);
    const cells = within(row as HTMLElement).getAllByRole('cell');
    expect(cells.slice(0, 4).map((cell) => cell.textContent)).toEqual([
      'CI client',
      'ecl_ci',
      'http://localhost:3118/callbackhttp://localhost:4000/cb',
      'client_secret_post',
    ]);
    expect(within(row as HTMLElement).getByRole('button', { name: 'Rotate secret of CI client' })).toBeTruthy();
    expect(within(row as HTMLElement).getByRole('button', { name: 'Delete CI client' })).toBeTruthy();
  });

  it('a member sees the clients without Rotate, Delete or the form', async () => {
    api({ 'GET /clients': clients(preregisteredClient()) });
    renderInConsole(<ClientsPage />, { as: 'member' });
    await screen.findByRole('table', { name: 'Pre-registered clients' });
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'New pre-registered client' })).toBeNull();
  });

  it('creates a client and shows its secret once', async () => {
    const fake = api({
      'GET /clients': [clients(), clients(preregisteredClient())],
      'POST /clients': answer(
        CreatedClient,
        {
          clientId: 'ecl_ci',
          clientSecret: 'ecs_once',
          name: 'CI client',
          redirectUris: ['http://localhost:3118/callback'],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
        201,
      ),
    });
    const { user } = renderInConsole(<ClientsPage />);
    await fillNewClient(user, 'http://localhost:3118/callback');
    const shown = await screen.findByRole('region', { name: 'Client secret for CI client' });
    expect(within(shown).getByTestId('Client ID').textContent).toBe('ecl_ci');
    expect(within(shown).getByTestId('Client secret').textContent).toBe('ecs_once');
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'CI client',
      redirectUris: ['http://localhost:3118/callback'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    expect(await screen.findByText('Client created')).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'Pre-registered clients' })).toBeTruthy();
  });

  it('a redirect URI the server refuses is shown inline, and no secret appears', async () => {
    api({
      'GET /clients': clients(),
      'POST /clients': refusal(
        422,
        'validation_failed',
        'redirectUris[0]: must be https, or http on localhost/127.0.0.1, with no fragment',
      ),
    });
    const { user } = renderInConsole(<ClientsPage />);
    await fillNewClient(user, 'http://example.com/callback');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'redirectUris[0]: must be https, or http on localhost/127.0.0.1, with no fragment',
    );
    expect(screen.queryByRole('region', { name: /secret/ })).toBeNull();
  });

  it('rotates a secret after the confirmation and shows the new one', async () => {
    answerConfirmations(true);
    api({
      'GET /clients': clients(preregisteredClient()),
      'POST /clients/ecl_ci/rotate-secret': answer(RotatedSecret, { clientId: 'ecl_ci', clientSecret: 'ecs_new' }),
    });
    const { user } = renderInConsole(<ClientsPage />);
    await user.click(await screen.findByRole('button', { name: 'Rotate secret of CI client' }));
    const shown = await screen.findByRole('region', { name: 'New client secret for CI client' });
    expect(within(shown).getByTestId('Client secret').textContent).toBe('ecs_new');
    expect(screen.getByText('New secret for CI client')).toBeTruthy();
  });

  it('deletes after the confirmation, and not when it is declined', async () => {
    const confirm = answerConfirmations(false, true);
    const fake = api({
      'GET /clients': [clients(preregisteredClient()), clients()],
      'DELETE /clients/ecl_ci': NO_CONTENT,
    });
    const { user } = renderInConsole(<ClientsPage />);
    const remove = await screen.findByRole('button', { name: 'Delete CI client' });
    await user.click(remove);
    expect(confirm).toHaveBeenCalledWith(
      'Delete CI client? Its connections end at once and it becomes an unknown client.',
    );
    expect(fake.sent('DELETE')).toEqual([]);
    await user.click(remove);
    expect(await screen.findByText('CI client deleted; its connections ended')).toBeTruthy();
    expect(await screen.findByText('No pre-registered client yet.')).toBeTruthy();
  });
});

describe('OAuth clients page: metadata document clients', () => {
  it('says why they could not be loaded', async () => {
    api({ 'GET /clients': clients(), 'GET /cimd-clients': refusal(500, 'error', 'HTTP 500') });
    renderInConsole(<ClientsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not load the metadata document clients: HTTP 500',
    );
  });

  it('names a tested client and says where its metadata came from', async () => {
    api({
      'GET /clients': clients(),
      'GET /cimd-clients': answer(CimdClientList, {
        clients: [
          cimdClient(),
          cimdClient({
            id: 'https://agent.example/metadata.json',
            name: 'Some agent',
            redirectUris: ['http://127.0.0.1:8080/cb'],
            metadataSource: 'unverified',
            liveConnections: 0,
          }),
        ],
      }),
    });
    renderInConsole(<ClientsPage />);
    const table = await screen.findByRole('table', { name: 'Client metadata document clients' });
    const sources = within(table).getAllByTestId('metadata-source');
    expect(sources.map((cell) => cell.textContent)).toEqual([
      "bundled copy (the client's host could not be reached)",
      'unverified — the document could not be fetched; development only, loopback redirects only',
    ]);
    expect(within(table).getByText('tested client')).toBeTruthy();
    expect(within(table).getByText('none (any loopback URI)')).toBeTruthy();
    expect(within(table).getAllByText('none (connection only)')).toHaveLength(2);
  });
});
