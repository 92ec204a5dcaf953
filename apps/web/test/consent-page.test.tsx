import { ConsentView } from '@enginy/contracts/consent';
import { Session } from '@enginy/contracts/session';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ConsentPage } from '../src/pages/consent-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER } from './support/fake-auth-api.ts';
import { ADMIN_SESSION, WORKSPACE } from './support/fixtures.ts';

const GLOBEX = { id: 'ws-globex', slug: 'globex', name: 'Globex', role: 'admin' };
const view = (workspaceId: string) =>
  answer(ConsentView, {
    request: {
      id: 'r1',
      clientId: 'c1',
      clientName: 'Claude Code',
      redirectUri: 'http://localhost:3118/callback',
      requestedScopes: ['CONTACTS_READ'],
      alreadyGranted: [],
      clientSource: null,
    },
    workspaces: [WORKSPACE, GLOBEX],
    workspaceId,
    decision: { outcome: 'allowed', scopes: ['CONTACTS_READ'] },
  });

describe('Consent page', () => {
  it('holds Approve and Deny while the decision for the chosen workspace loads, so a click never decides for the one shown before', async () => {
    const api = fakeAuthApi({
      'GET /session': answer(Session, ADMIN_SESSION),
      'GET /consent/r1': view(WORKSPACE.id),
      'GET /consent/r1?workspace=ws-globex': NO_ANSWER,
    });
    render(<ConsentPage requestId="r1" />);
    const approve = (await screen.findByRole('button', { name: 'Approve' })) as HTMLButtonElement;
    expect(approve.disabled).toBe(false);
    await userEvent.selectOptions(screen.getByLabelText('Workspace'), 'Globex');
    expect(approve.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Deny' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(approve);
    expect(api.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });
});
