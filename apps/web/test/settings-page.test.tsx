import { ConnectionList, McpSettings } from '@enginy/contracts/console';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../src/console/format.ts';
import { SettingsPage } from '../src/console/pages/settings-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { connection, LATER, settings } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const saved = (over: Parameters<typeof settings>[0] = {}) => answer(McpSettings, settings(over));
const checkbox = (name: string) => screen.getByLabelText(name, { exact: true }) as HTMLInputElement;
/** Disabled itself or by a disabled fieldset, as a browser sees it (happy-dom's :disabled skips fieldsets). */
const disabled = (input: HTMLInputElement) => input.disabled || input.closest('fieldset')?.disabled === true;

describe('MCP settings page', () => {
  it('says it is loading until the settings arrive', async () => {
    fakeAuthApi({ 'GET /mcp-settings': NO_ANSWER });
    renderInConsole(<SettingsPage />);
    expect((await screen.findByText('Loading the MCP settings…')).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });

  it('says why the settings could not be read', async () => {
    fakeAuthApi({ 'GET /mcp-settings': refusal(404, 'not_found', 'Not found') });
    renderInConsole(<SettingsPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not read the MCP settings: Not found');
  });

  it('a workspace never saved: empty allowlists say what they mean, with the warnings', async () => {
    fakeAuthApi({
      'GET /mcp-settings': saved({
        enabled: false,
        allowedRedirectUris: [],
        policyScopes: [],
        updatedAt: null,
        warnings: ['MCP is disabled for this workspace'],
      }),
    });
    renderInConsole(<SettingsPage />);
    const redirects = await screen.findByRole('list', { name: 'Allowed redirect URIs' });
    expect(redirects.textContent).toBe('None: every authorization fails with redirect_uri is not allowed');
    expect(screen.getByRole('list', { name: 'Allowed OAuth client IDs' }).textContent).toBe(
      'Empty: any client may connect',
    );
    expect(within(screen.getByRole('region', { name: 'Warnings' })).getByRole('listitem').textContent).toBe(
      'MCP is disabled for this workspace',
    );
    expect(screen.getByText(/^The policy has no scope/)).toBeTruthy();
    expect(screen.getByText(/Last saved never\./)).toBeTruthy();
  });

  it('shows the saved settings, with nothing to save until something changes', async () => {
    fakeAuthApi({ 'GET /mcp-settings': saved({ allowedClientIds: ['pinned-client'] }) });
    renderInConsole(<SettingsPage />);
    const redirects = await screen.findByRole('list', { name: 'Allowed redirect URIs' });
    expect(
      within(redirects)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['http://localhost:3118/callbackRemove']);
    expect(checkbox('Enable the MCP integration').checked).toBe(true);
    expect(disabled(checkbox('Enable the MCP integration'))).toBe(false);
    expect(checkbox('CONTACTS_READ').checked).toBe(true);
    expect(checkbox('CONTACTS_WRITE').checked).toBe(false);
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a member sees the settings read-only', async () => {
    fakeAuthApi({ 'GET /mcp-settings': saved() });
    renderInConsole(<SettingsPage />, { as: 'member' });
    await screen.findByRole('list', { name: 'Allowed redirect URIs' });
    expect(disabled(checkbox('Enable the MCP integration'))).toBe(true);
    expect(disabled(checkbox('CONTACTS_READ'))).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.queryByLabelText('Add to Allowed redirect URIs')).toBeNull();
    expect(screen.getByText('Read-only: only an admin of Acme Outreach can change these settings.')).toBeTruthy();
  });

  it('refuses an allowlist entry the policy would refuse, before saving', async () => {
    fakeAuthApi({ 'GET /mcp-settings': saved() });
    const { user } = renderInConsole(<SettingsPage />);
    await user.type(await screen.findByLabelText('Add to Allowed redirect URIs'), 'not a uri{Enter}');
    expect(screen.getByRole('alert').textContent).toMatch(/^not a uri /);
    expect(screen.getAllByRole('listitem', {}).some((li) => li.textContent?.startsWith('not a uri'))).toBe(false);
  });

  it('saves, and says the change applies at once to the live connections', async () => {
    const fake = fakeAuthApi({
      'GET /mcp-settings': saved(),
      'PUT /mcp-settings': saved({ enabled: false, updatedAt: LATER }),
      'GET /connections': answer(ConnectionList, {
        connections: [connection(), connection({ grantId: 'grant-2', effectiveScopes: [] })],
        ended: [],
        endedWithinDays: 30,
      }),
    });
    const { user } = renderInConsole(<SettingsPage />);
    await user.click(await screen.findByLabelText('Enable the MCP integration'));
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(
      await screen.findByText(
        `Saved at ${formatTime(LATER)}. In effect at once for every live token, no re-authorization: 2 active connection(s), 1 with scopes left under the new policy.`,
      ),
    ).toBeTruthy();
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({
      enabled: false,
      allowedRedirectUris: ['http://localhost:3118/callback'],
      allowedClientIds: [],
      policyScopes: ['CONTACTS_READ'],
      policyActive: true,
    });
    expect(put?.csrfToken).toBe('csrf-admin');
  });

  it('a save the server refuses says why and keeps the change unsaved', async () => {
    fakeAuthApi({
      'GET /mcp-settings': saved(),
      'PUT /mcp-settings': refusal(
        422,
        'validation_failed',
        'allowedRedirectUris[1]: must be an absolute URI with no fragment',
      ),
    });
    const { user } = renderInConsole(<SettingsPage />);
    await user.click(await screen.findByLabelText('Enable the MCP integration'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not saved: allowedRedirectUris[1]: must be an absolute URI with no fragment',
    );
    expect(checkbox('Enable the MCP integration').checked).toBe(false);
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
  });

  it("ticks the consent page's missing scopes for an admin to review, without saving them", async () => {
    window.history.replaceState(null, '', '/console/settings?addScopes=MESSAGING_WRITE,offline_access');
    const fake = fakeAuthApi({ 'GET /mcp-settings': saved() });
    renderInConsole(<SettingsPage />);
    const note = await screen.findByTestId('preselected-scopes');
    expect(note.textContent).toBe(
      'From the consent page: MESSAGING_WRITE is ticked in the scope ceiling below but not saved. Review them, then Save settings to allow them, or Discard changes. Ignored, not Enginy scopes: offline_access.',
    );
    expect(checkbox('MESSAGING_WRITE').checked).toBe(true);
    expect(fake.sent('PUT')).toEqual([]);
  });
});
