// The refresh retry window, measured with the real Claude Code: a loopback proxy in front of the
// authorization server forwards Claude's refresh (so the rotation happens) and drops its answer. Claude
// retries the same refresh token; within the retry grace (10 s) that identical retry gets the same
// answer, so it stays Connected, and the grant is neither revoked nor doubled. The delay it took is
// what the README's security notes cite.
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, inTty, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { startAuthProxy } from '../src/auth-proxy.ts';
import { consoleApi } from '../src/console-api.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';

const proxy = await startAuthProxy();
const { refreshes } = proxy;

// Claude refreshes a token this short-lived on each `claude mcp list`.
const e2e = useStack({ ACCESS_TOKEN_TTL_SECONDS: '60', ...proxy.env });
const claude = cliCommand('claude');
const s = scratch('claude');
const cli = (...args: string[]) => run([...claude, ...args], { cwd: s.project, env: s.env });
afterAll(async () => {
  s.remove();
  await proxy.close();
});

describe('Claude Code whose refresh answer is lost', () => {
  it('retries the same refresh token within the grace, gets the same answer, and stays Connected on one grant', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    expect((await cli('mcp', 'add', '--transport', 'http', '--callback-port', '3118', 'enginy', mcpUrl)).code).toBe(0);
    await freeCallbackPort();
    const login = await loginThroughBrowser(s, inTty([...claude, 'mcp', 'login', 'enginy']), 1);
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    const admin = await consoleApi(e2e.stack);
    const grants = (await admin.connections()).map((connection) => connection.grantId);
    expect(grants).toHaveLength(1);

    proxy.dropNextAnswer();
    const seenBefore = refreshes.length;
    const listed = await cli('mcp', 'list');
    expect(listed.output).toMatch(/^enginy: .*✔ Connected/m);

    const during = refreshes.slice(seenBefore);
    const dropped = during.find((seen) => seen.dropped);
    expect(dropped?.status, JSON.stringify(during)).toBe(200);
    const retry = during.find((seen) => !seen.dropped && seen.token === dropped?.token);
    expect(retry, 'Claude Code presented the same refresh token again').toBeDefined();
    expect(retry?.status).toBe(200);
    const delay = ((retry?.at ?? 0) - (dropped?.at ?? 0)) / 1000;
    // biome-ignore lint/suspicious/noConsole: the measured delay is the figure this test reports.
    console.log(
      `[real-client] claude retried a refresh whose answer was lost after ${delay.toFixed(2)} s (retry grace 10 s)`,
    );
    expect(delay).toBeLessThan(10);
    // The replay continued the grant: no reuse detected, still one connection, the same one.
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grants);
    expect((await cli('mcp', 'list')).output).toMatch(/^enginy: .*✔ Connected/m);
  });
});
