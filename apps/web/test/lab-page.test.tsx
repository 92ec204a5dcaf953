import { LabOverview, LabSwitchedOff } from '@enginy/contracts/console-failure-lab';
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LabPage } from '../src/console/pages/lab-page.tsx';
import { answer, fakeAuthApi, NO_ANSWER, refusal } from './support/fake-auth-api.ts';
import { AT, labScenario } from './support/fixtures.ts';
import { renderInConsole } from './support/render-in-console.tsx';

const overview = (...scenarios: ReturnType<typeof labScenario>[]) => answer(LabOverview, { scenarios });
const ON = labScenario({
  name: 'slow-token',
  workspaceSense: true,
  on: true,
  state: {
    scope: 'workspace',
    options: { seconds: 5 },
    remaining: 2,
    switchedOnBy: 'dev@enginy.local',
    switchedOnAt: AT,
  },
});
const PLANNED = labScenario({ name: 'dpop-required', planned: true, options: [] });

describe('Failure lab page', () => {
  it('says it is loading until the catalogue arrives', async () => {
    fakeAuthApi({ 'GET /failure-lab': NO_ANSWER });
    renderInConsole(<LabPage />);
    expect((await screen.findByText('Loading the failure lab…')).getAttribute('role')).toBe('status');
  });

  it('says why the lab could not be loaded (production refuses it)', async () => {
    fakeAuthApi({
      'GET /failure-lab': refusal(403, 'failure_lab_unavailable', 'The failure lab is off in production'),
    });
    renderInConsole(<LabPage />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not load the failure lab: The failure lab is off in production',
    );
  });

  it("shows each scenario with its state for the workspace, and an admin's switches", async () => {
    fakeAuthApi({ 'GET /failure-lab': overview(labScenario(), ON, PLANNED) });
    renderInConsole(<LabPage />);
    const on = await screen.findByRole('article', { name: 'slow-token On' });
    expect(within(on).getByTestId('lab-state-slow-token').textContent).toMatch(
      /^On for Acme Outreach seconds 5 \(2 left\), since .+ by dev@enginy\.local$/,
    );
    expect(within(on).getByRole('button', { name: 'Switch off slow-token' })).toBeTruthy();
    expect(within(on).getByRole('button', { name: 'Switch on slow-token' }).textContent).toBe('Switch on again');
    const off = screen.getByRole('article', { name: 'token-5xx Off' });
    expect(within(off).getByTestId('lab-state-token-5xx').textContent).toBe('Off');
    expect(within(off).getByText('not yet measured')).toBeTruthy();
    const planned = screen.getByRole('article', { name: 'dpop-required Off' });
    expect(within(planned).queryByRole('button')).toBeNull();
    expect(screen.getByRole('button', { name: 'Switch all off' })).toBeTruthy();
  });

  it('a member reads the catalogue without any switch', async () => {
    fakeAuthApi({ 'GET /failure-lab': overview(labScenario(), ON) });
    renderInConsole(<LabPage />, { as: 'member' });
    await screen.findByRole('article', { name: 'slow-token On' });
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('switches a scenario on with its options and tells the banner', async () => {
    const changed = vi.fn();
    window.addEventListener('enginy:failure-lab-changed', changed);
    const fake = fakeAuthApi({
      'GET /failure-lab': overview(labScenario()),
      'PUT /failure-lab/token-5xx': overview(labScenario({ on: true })),
    });
    const { user } = renderInConsole(<LabPage />);
    const seconds = await screen.findByRole('spinbutton');
    await user.clear(seconds);
    await user.type(seconds, '45');
    await user.click(screen.getByRole('button', { name: 'Switch on token-5xx' }));
    expect(await screen.findByText('token-5xx is on')).toBeTruthy();
    expect(fake.requests.find((r) => r.method === 'PUT')?.body).toEqual({
      scope: 'global',
      options: { seconds: '45' },
    });
    expect(changed).toHaveBeenCalledTimes(1);
    window.removeEventListener('enginy:failure-lab-changed', changed);
  });

  it('a switch the server refuses says why', async () => {
    fakeAuthApi({
      'GET /failure-lab': overview(labScenario()),
      'PUT /failure-lab/token-5xx': refusal(422, 'validation_failed', 'options.seconds: must be at most 600'),
    });
    const { user } = renderInConsole(<LabPage />);
    await user.click(await screen.findByRole('button', { name: 'Switch on token-5xx' }));
    expect((await screen.findByRole('alert')).textContent).toBe('options.seconds: must be at most 600');
  });

  it('switches everything off and says how many', async () => {
    fakeAuthApi({
      'GET /failure-lab': [overview(ON), overview(labScenario({ name: 'slow-token' }))],
      'DELETE /failure-lab': answer(LabSwitchedOff, { switchedOff: 1, scenarios: [] }),
    });
    const { user } = renderInConsole(<LabPage />);
    await user.click(await screen.findByRole('button', { name: 'Switch all off' }));
    expect(await screen.findByText('Switched off 1 scenario(s)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Switch all off' })).toBeNull();
  });
});
