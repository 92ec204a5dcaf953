// The failure lab from the console in Chromium against the real stack: an admin switches a scenario
// on from the lab page, every other console page then says so in its banner (a member's too, who
// sees the lab read-only), and the switch goes off again; and the doctor, connecting as a real
// client, names the scenario in force at both ends of its checklist and in its JSON.
import { LAB_SCENARIOS } from '@enginy/config/failure-lab';
import { LAB_AGENTS, labAgentsSeen } from '@enginy/config/failure-lab-agents';
import { listLabSwitches, switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { renderText } from '@enginy/doctor/report';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, expectNoErrors, goTo, openConsole, screenshot } from '../src/console-page.ts';
import { doctor } from '../src/doctor-run.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
const ALL_SEEN = LAB_AGENTS.flatMap((record) => record.observations.map((observation) => observation.seen));
afterEach(async () => {
  await switchAllLabOff(e2e.db);
});

describe('the Failure lab page', () => {
  it('an admin switches expire-access on; the banner names it on another page; a member reads it; off again', async () => {
    const admin = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connections', ADMIN);
    const member = await openConsole(e2e.browser, e2e.stack.config.web.url, '/console/connections', MEMBER);
    try {
      const { page } = admin;
      const banner = page.getByRole('status', { name: 'Failure lab' });
      expect(await banner.count()).toBe(0);
      await goTo(page, 'Failure lab');
      // What the real agents were seen to do, from LAB_AGENTS: each agent once under each scenario it
      // was measured against; a scenario nobody measured says so, never invented.
      // (the scenarios arrive after the heading: wait for them)
      for (const record of LAB_AGENTS) {
        await eventually(() => page.getByText(`${record.agent} ${record.version}`, { exact: true }).count()).toBe(
          record.observations.length,
        );
        // Once each, unless other agents were seen doing the very same (getByText matches within a text).
        for (const { seen } of record.observations)
          expect(await page.getByText(seen).count(), seen).toBe(
            ALL_SEEN.filter((text) => text.toLowerCase().includes(seen.toLowerCase())).length,
          );
      }
      const unmeasured = LAB_SCENARIOS.filter((scenario) => labAgentsSeen(scenario.name).length === 0);
      expect(await page.getByText('not yet measured').count()).toBe(unmeasured.length);
      expect(await page.getByRole('link', { name: 'anthropics/claude-code/issues/21333' }).count()).toBeGreaterThan(0);

      await page.getByRole('spinbutton', { name: 'seconds' }).fill('45');
      await page.getByRole('button', { name: 'Switch on expire-access' }).click();
      await eventually(() => page.getByTestId('lab-state-expire-access').textContent()).toMatch(
        /^On for Acme Outreach seconds 45, since .+ by dev@enginy\.local$/,
      );
      expect(await listLabSwitches(e2e.db)).toMatchObject([
        { scenario: 'expire-access', workspaceId: SEED_IDS.acme, options: { seconds: 45 }, switchedOnBy: ADMIN.email },
      ]);
      await eventually(() => banner.textContent()).toContain('Failure lab on: expire-access.');
      await screenshot(page, 'failure-lab-on');

      // Another console page says so too, with the way back to the lab.
      await goTo(page, 'API keys');
      await eventually(() => banner.textContent()).toContain('Failure lab on: expire-access.');
      await screenshot(page, 'failure-lab-banner');

      // The member's pages say so as well (at its next poll); the lab page has no switch for them.
      const memberBanner = member.page.getByRole('status', { name: 'Failure lab' });
      await eventually(() => memberBanner.textContent()).toContain('Failure lab on: expire-access.');
      await memberBanner.getByRole('link', { name: 'Open the failure lab' }).click();
      await member.page.getByRole('heading', { name: 'Failure lab', level: 1 }).waitFor();
      await eventually(() => member.page.getByTestId('lab-state-expire-access').textContent()).toContain(
        'On for Acme Outreach',
      );
      expect(await member.page.getByRole('button', { name: /^Switch (on|off)/ }).count()).toBe(0);

      await banner.getByRole('link', { name: 'Open the failure lab' }).click();
      await page.getByRole('button', { name: 'Switch off expire-access' }).click();
      await eventually(() => page.getByTestId('lab-state-expire-access').textContent()).toBe('Off');
      await eventually(() => banner.count()).toBe(0);
      expect(await listLabSwitches(e2e.db)).toEqual([]);
      await goTo(page, 'Connections');
      expect(await banner.count()).toBe(0);
      expectNoErrors(admin);
      expectNoErrors(member);
    } finally {
      await admin.close();
      await member.close();
    }
  });
});

describe('the doctor', () => {
  it('names the scenario in force for its workspace at the top and bottom of its checklist and in its JSON', async () => {
    // Long enough that the doctor's own token outlives the run: the connection itself still works.
    await switchLabOn(e2e.db, {
      scenario: 'expire-access',
      workspaceId: SEED_IDS.acme,
      options: { seconds: 600 },
      remaining: null,
      by: 'e2e',
    });
    const report = await doctor(e2e);
    expect(report.verdict.status).toBe('connected');
    expect(report.failureLab).toEqual([
      { scenario: 'expire-access', scope: 'this workspace', options: { seconds: 600 } },
    ]);
    const lines = renderText(report).split('\n');
    const notice = 'Failure lab ON: expire-access --seconds 600 (this workspace).';
    expect(lines[1]).toContain(notice);
    expect(lines.at(-1)).toContain(notice);
  });
});
