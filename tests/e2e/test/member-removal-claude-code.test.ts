// Issue 22 (M1): a member removed from a workspace must lose MCP access there. The member connects the
// real Claude Code CLI (signing in as member@enginy.local in Chromium); the admin removes them on the
// console's Members page, through its confirmation; Claude's next `claude mcp list` says "Needs
// authentication", and the connections page shows that connection as ended, "member removed".
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, inTty, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { eventually, expectNoErrors, goTo, openConsole, screenshot } from '../src/console-page.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
const claude = cliCommand('claude');
const s = scratch('claude');
// The member belongs to Acme Outreach only: their consent page has no workspace chooser.
const env = { ...s.env, ENGINY_BROWSER_EMAIL: MEMBER.email, ENGINY_BROWSER_WORKSPACE: '' };
const cli = (...args: string[]) => run([...claude, ...args], { cwd: s.project, env });
afterAll(() => s.remove());

async function status(): Promise<string> {
  const { output } = await cli('mcp', 'list');
  return output.match(/^enginy: .*$/m)?.[0] ?? output;
}

describe('removing a member ends their Claude Code connection', () => {
  it('the member connects Claude Code; the admin removes them on the Members page; Claude needs authentication', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    const { url: webUrl } = e2e.stack.config.web;
    expect((await cli('mcp', 'add', '--transport', 'http', '--callback-port', '3118', 'enginy', mcpUrl)).code).toBe(0);
    await freeCallbackPort();
    const login = await loginThroughBrowser({ ...s, env }, inTty([...claude, 'mcp', 'login', 'enginy']), 1);
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    expect(await status()).toContain('✔ Connected');

    // The member sees the page read-only, and why.
    const asMember = await openConsole(e2e.browser, webUrl, '/console/members', MEMBER);
    await expect
      .poll(() => asMember.page.getByTestId('members-read-only').textContent())
      .toBe('Read-only: Only an admin of Acme Outreach can remove members; your role is member.');
    expect(await asMember.page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expectNoErrors(asMember);
    await asMember.close();

    const admin = await openConsole(e2e.browser, webUrl, '/console/connect', ADMIN);
    const { page } = admin;
    await goTo(page, 'Members');
    expect(page.url()).toBe(`${webUrl}/console/members`);
    const memberRow = page.getByTestId(`member-${MEMBER.email}`);
    await eventually(() => memberRow.getByTestId('active-connections').textContent()).toBe('1');
    // The only admin cannot remove themselves: the button is off and says why.
    const adminRow = page.getByTestId(`member-${ADMIN.email}`);
    expect(await adminRow.getByRole('button', { name: `Remove ${ADMIN.email}` }).isDisabled()).toBe(true);
    expect(await adminRow.textContent()).toContain('You are the only admin of Acme Outreach');

    // Remove, then the confirmation: it names the member and says their connection ends.
    await memberRow.getByRole('button', { name: `Remove ${MEMBER.email}` }).click();
    const confirm = page.getByRole('alertdialog');
    const question = await confirm.textContent();
    expect(question).toContain('Remove Mia Member (member@enginy.local) from Acme Outreach?');
    expect(question).toContain('Their 1 active connection in Acme Outreach ends at once');
    await screenshot(page, 'members-confirm');
    await confirm.getByRole('button', { name: `Remove ${MEMBER.email}` }).click();
    await eventually(() => memberRow.count()).toBe(0);

    // Claude Code's next look: its token no longer works, and neither does its refresh token.
    expect(await status()).toContain('Needs authentication');
    expect(await page.getByRole('status').filter({ hasText: 'Removed' }).textContent()).toBe(
      'Removed member@enginy.local from Acme Outreach: 1 connection ended.',
    );

    // The connection did not silently disappear: it is listed as ended, with the reason.
    await goTo(page, 'Connections');
    const ended = page.getByTestId('ended-connection');
    await eventually(() => ended.count()).toBe(1);
    expect(await ended.textContent()).toContain(MEMBER.email);
    expect(await ended.getByText('Ended', { exact: true }).count()).toBe(1);
    expect(await ended.textContent()).toContain('Member removed from the workspace');
    await screenshot(page, 'connections-ended');
    expectNoErrors(admin);
    await admin.close();
  });
});
