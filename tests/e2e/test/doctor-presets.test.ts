// `pnpm run doctor --as <client>` against real stacks: each preset connects to the seeded stack the
// way its client does, and `--as claude-code` (the default) reproduces the two ways the real Claude
// Code failed here, each with its fix: a request wider than the workspace policy, and a client ID
// metadata document the authorization server cannot reach. Callback ports other than the recipes'
// 3118 (added to the allowlist) keep these runs clear of other suites' listeners.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { knownClient } from '@enginy/config/known-clients';
import { SEED_IDS } from '@enginy/db/seed';
import { type PresetId, planRedirect, presetClient } from '@enginy/doctor/presets';
import type { Report } from '@enginy/doctor/report';
import type { TestStack } from '@enginy/stack/test-stack';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { doctor, lastAttempt, setAcmeMcp, setWorkspaceMcp, step, waitForFreePort } from '../src/doctor-run.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';

const CLAUDE_DOCUMENT = 'https://claude.ai/oauth/claude-code-client-metadata';
const CODEX_DOCUMENT = 'https://chatgpt.com/oauth/codex/client.json';
const OPENCODE_CALLBACK = 'http://127.0.0.1:19876/mcp/oauth/callback';
const COPILOT_DOCUMENT = 'https://github.com/copilot/cli/client-metadata.json';

type Settings = {
  enabled: boolean;
  allowed_redirect_uris: string[];
  allowed_client_ids: string[];
  policy_scopes: string[];
  policy_active: boolean;
};
const COLUMNS = ['enabled', 'allowed_redirect_uris', 'allowed_client_ids', 'policy_scopes', 'policy_active'] as const;

const failedAt = (report: Report) => ({
  status: report.verdict.status,
  step: report.verdict.step,
  entry: report.verdict.entry,
});
const notPassed = (report: Report) =>
  report.steps.filter((s) => s.status !== 'pass').map((s) => `${s.id}: ${s.detail} ${s.fix ?? ''}`);

/** The protected-resource metadata's scopes_supported, as every client reads it. */
async function advertisedScopes(stack: TestStack): Promise<string[]> {
  const url = new URL(stack.config.openapi.mcpUrl);
  const response = await fetch(`${url.origin}/.well-known/oauth-protected-resource${url.pathname}`);
  return ((await response.json()) as { scopes_supported?: string[] }).scopes_supported ?? [];
}

describe('the seeded stack (development defaults: CIMD works offline)', () => {
  const e2e = useStackAndBrowser();
  let acme: Settings;
  let globex: Settings;
  const settingsOf = (id: string) =>
    e2e.db
      .selectFrom('workspace_mcp_settings')
      .select(COLUMNS)
      .where('workspace_id', '=', id)
      .executeTakeFirstOrThrow();
  beforeAll(async () => {
    [acme, globex] = await Promise.all([settingsOf(SEED_IDS.acme), settingsOf(SEED_IDS.globex)]);
  });
  afterEach(async () => {
    await setAcmeMcp(e2e.db, acme);
    await setWorkspaceMcp(e2e.db, SEED_IDS.globex, globex);
  });

  /** The seeded allowlist plus the doctor's own callback port's URI. */
  const allow = (uri: string) => setAcmeMcp(e2e.db, { allowed_redirect_uris: [...acme.allowed_redirect_uris, uri] });

  it.each<[PresetId, number, { kind: string; clientId?: string }, string]>([
    ['claude-code', 3141, { kind: 'cimd', clientId: CLAUDE_DOCUMENT }, 'Claude Code'],
    ['codex', 3142, { kind: 'cimd', clientId: CODEX_DOCUMENT }, 'chatgpt.com'],
    ['mcp-remote', 3143, { kind: 'dcr' }, 'MCP CLI Proxy'],
  ])(
    '--as %s connects (recipe callback allowlisted by the seed; run on :%i)',
    async (preset, callbackPort, registration, clientName) => {
      // The seed allowlists exactly the URI this client's recipe sends.
      expect(acme.allowed_redirect_uris).toContain(planRedirect(preset).uri);
      expect(planRedirect(preset).uri).toBe(CLAUDE_CODE_REDIRECT_URI);
      const redirectUri = `http://localhost:${callbackPort}/callback`;
      await allow(redirectUri);

      const report = await doctor(e2e, { as: preset, callbackPort });
      expect(notPassed(report)).toEqual([]);
      expect(report.verdict.status).toBe('connected');
      expect(report.plan).toMatchObject({
        preset,
        client: `${presetClient(preset).name} ${presetClient(preset).testedVersion}`,
        redirectUri,
        registration,
      });
      // Claude Code and Codex ask for the whole advertised list, mcp-remote for the challenge's scope:
      // on the seeded stack both are what the enabled policy (Acme's reads) grants.
      expect([...(report.plan?.scopes?.requested ?? [])].sort()).toEqual([...acme.policy_scopes].sort());
      expect(report.connection?.client.name).toBe(clientName);
      if (registration.clientId !== undefined) expect(report.connection?.client.id).toBe(registration.clientId);
      expect([...(report.connection?.grantedScopes ?? [])].sort()).toEqual([...acme.policy_scopes].sort());
    },
  );

  it('--as opencode fails at the allowlist with its fixed URI, then connects once it is added', async () => {
    const first = await doctor(e2e, { as: 'opencode' });
    expect(failedAt(first)).toEqual({ status: 'failed', step: 'redirect-uri', entry: 'redirect_uri is not allowed' });
    expect(first.verdict.fix).toContain(`Add ${OPENCODE_CALLBACK} to "Allowed redirect URIs"`);
    // And how opencode's own config changes it (the tested-clients table's callback fix).
    expect(first.verdict.fix).toContain(knownClient('opencode').callbackFix);
    expect(first.plan?.registration).toMatchObject({ kind: 'dcr' });
    expect(await lastAttempt(e2e.stack)).toMatchObject({
      reason: 'redirect_uri_not_allowed',
      redirect_uri: OPENCODE_CALLBACK,
    });

    await allow(OPENCODE_CALLBACK);
    const second = await doctor(e2e, { as: 'opencode' });
    expect(notPassed(second)).toEqual([]);
    expect(second.plan?.scopes?.why).toContain("the 401 challenge's scope");
    expect(second.connection?.client.name).toBe('OpenCode');
  });

  // What each agent was seen to send on the seeded demo, and the fix the Connect page gives it.
  it.each<[PresetId, string, { kind: string; clientId?: string }, string]>([
    // Copilot CLI with "auth": { "redirectPort": 3118 }: offline its document is unreachable, and the
    // development fallback lets it in as an unverified loopback-only client named by its host.
    ['copilot-cli', 'http://127.0.0.1:3118/callback', { kind: 'cimd', clientId: COPILOT_DOCUMENT }, 'github.com'],
    ['qwen-code', 'http://localhost:7777/oauth/callback', { kind: 'dcr' }, 'Qwen Code MCP Client'],
    ['cline', 'http://127.0.0.1:1456/mcp/oauth/callback', { kind: 'dcr' }, 'Cline'],
  ])(
    '--as %s stops at the allowlist with %s and the Connect page fix, then connects once it is added',
    async (preset, sent, registration, clientName) => {
      const client = presetClient(preset);
      expect(client.recipeRedirectUri).toBe(sent);
      const first = await doctor(e2e, { as: preset });
      expect(failedAt(first)).toEqual({
        status: 'failed',
        step: 'redirect-uri',
        entry: 'redirect_uri is not allowed',
      });
      expect(first.plan).toMatchObject({ redirectUri: sent, registration });
      // The admin's step, then the client's own side of the recipe: what the Connect page says.
      expect(first.verdict.fix).toContain(`Add ${sent} to "Allowed redirect URIs"`);
      expect(first.verdict.fix).toContain(client.callbackFix);
      const fix = first.verdict.fix ?? '';
      expect(fix.indexOf(client.callbackFix)).toBeGreaterThan(fix.indexOf('Add '));
      if (client.trap !== undefined) expect(first.verdict.fix).toContain(client.trap);
      expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'redirect_uri_not_allowed', redirect_uri: sent });

      await allow(sent);
      const second = await doctor(e2e, { as: preset });
      expect(notPassed(second)).toEqual([]);
      expect([...(second.plan?.scopes?.requested ?? [])].sort()).toEqual([...acme.policy_scopes].sort());
      expect(second.connection?.client.name).toBe(clientName);
      if (registration.clientId !== undefined) expect(second.connection?.client.id).toBe(registration.clientId);
    },
  );

  it('--as cline moves to 1457 while 1456 is taken, as Cline does, and that URI is another allowlist entry', async () => {
    await allow('http://127.0.0.1:1456/mcp/oauth/callback');
    await waitForFreePort(1456);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(1456, '127.0.0.1', resolve));
    try {
      const report = await doctor(e2e, { as: 'cline' }, { waitForPort: false });
      expect(report.plan?.redirectUri).toBe('http://127.0.0.1:1457/mcp/oauth/callback');
      expect(report.plan?.redirectWhy).toMatch(/^port 1456 taken, so Cline moves to 1457/);
      expect(failedAt(report).step).toBe('redirect-uri');
      expect(report.verdict.fix).toContain('Add http://127.0.0.1:1457/mcp/oauth/callback to "Allowed redirect URIs"');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("--as inspector connects with no admin change (its recipe's --callback-url), and its default callback gets the recipe as the fix", async () => {
    const inspector = knownClient('mcp-inspector');
    expect(acme.allowed_redirect_uris).toContain(CLAUDE_CODE_REDIRECT_URI);
    const report = await doctor(e2e, { as: 'inspector' });
    expect(notPassed(report)).toEqual([]);
    expect(report.plan).toMatchObject({
      redirectUri: CLAUDE_CODE_REDIRECT_URI,
      redirectWhy: `MCP Inspector's recipe: ${inspector.callbackFix}`,
      registration: { kind: 'dcr' },
    });
    expect(report.connection?.client.name).toBe('MCP Inspector');

    // Without --callback-url it sends 127.0.0.1:6276/oauth/callback, which the demo refuses.
    const defaults = await doctor(e2e, {
      as: 'inspector',
      redirectHost: '127.0.0.1',
      callbackPort: 6276,
      callbackPath: '/oauth/callback',
    });
    expect(failedAt(defaults).step).toBe('redirect-uri');
    expect(defaults.plan?.redirectUri).toBe(inspector.defaultRedirectUri);
    expect(defaults.verdict.fix).toContain(`--callback-url ${CLAUDE_CODE_REDIRECT_URI} on every command`);
  });

  it("--as claude-code asks for every advertised scope: another workspace granting writes makes Acme refuse it, with Claude Code's way to narrow", async () => {
    await allow('http://localhost:3144/callback');
    const writes = ['CONTACTS_WRITE', 'LISTS_WRITE'];
    await setWorkspaceMcp(e2e.db, SEED_IDS.globex, {
      enabled: true,
      policy_active: true,
      policy_scopes: [...acme.policy_scopes, ...writes],
    });
    // The advertised list is the enabled policies' union (cached for a second by the MCP server).
    await expect.poll(() => advertisedScopes(e2e.stack), { timeout: 5_000 }).toEqual(expect.arrayContaining(writes));

    const report = await doctor(e2e, { callbackPort: 3144 });
    expect(report.plan?.preset).toBe('claude-code');
    expect(report.plan?.scopes?.requested).toEqual(expect.arrayContaining(writes));
    expect(report.plan?.scopes?.why).toContain("the protected-resource metadata's whole scopes_supported");
    expect(failedAt(report)).toEqual({ status: 'failed', step: 'scopes', entry: 'Requested scopes are not allowed' });
    expect(report.verdict.fix).toContain(knownClient('claude-code').narrowScopes(acme.policy_scopes));
    expect(report.verdict.fix).toContain(`or expand the policy in Enginy to include ${writes.join(' ')}`);
    // The checks before it passed: the failure is the scopes alone.
    expect((['redirect-uri', 'client-id', 'workspace-policy'] as const).map((id) => step(report, id).status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
    expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'scopes_not_allowed', client_id: CLAUDE_DOCUMENT });

    // Narrowed the way the fix says, it connects.
    const narrowed = await doctor(e2e, { callbackPort: 3144, scope: acme.policy_scopes.join(' ') });
    expect(notPassed(narrowed)).toEqual([]);
  });

  it('the CLI defaults to --as claude-code, says so, and exits 0', async () => {
    await allow('http://localhost:3145/callback');
    await waitForFreePort(3145);
    const cli = createRequire(import.meta.url)
      .resolve('@enginy/doctor/run')
      .replace(/run\.ts$/, 'cli.ts');
    const args = [
      cli,
      e2e.stack.config.openapi.mcpUrl,
      '--callback-port',
      '3145',
      '--browser=playwright',
      '--email',
      ADMIN.email,
      '--password',
      ADMIN.password,
      '--workspace',
      'Acme Outreach',
    ];
    // Rejects on a non-zero exit.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });
    expect(stdout).toContain('As Claude Code 2.1.328 (--as claude-code)');
    expect(stdout).toContain(
      `  Client:       client ID metadata document ${CLAUDE_DOCUMENT} (the authorization server advertises client_id_metadata_document_supported`,
    );
    expect(stdout).toContain(
      `  Scopes:       ${(await advertisedScopes(e2e.stack)).join(' ')} (the protected-resource metadata's whole scopes_supported`,
    );
    expect(stdout).toContain('  Redirect URI: http://localhost:3145/callback (--callback-port over');
    expect(stdout.trim().split('\n').at(-1)).toBe('Verdict: Connected: every step passed');
  });
});

describe("a stack that cannot use Claude Code's metadata document (no bundled copy, no unverified clients)", () => {
  const e2e = useStackAndBrowser({ CIMD_BUNDLED_DOCUMENTS: 'false', CIMD_UNVERIFIED_LOOPBACK: 'false' });

  it('--as claude-code fails at registration and explains the unreachable host and the ways out', async () => {
    const report = await doctor(e2e, { callbackPort: 3146 });
    expect(report.plan?.registration).toMatchObject({ kind: 'cimd', clientId: CLAUDE_DOCUMENT });
    expect(failedAt(report)).toEqual({
      status: 'failed',
      step: 'registration',
      entry: 'OAuth client_id is not allowed',
    });
    expect(report.verdict.cause).toContain(`The client metadata document at ${CLAUDE_DOCUMENT} could not be used`);
    expect(report.verdict.fix).toContain(`could not fetch ${CLAUDE_DOCUMENT}: its host is unreachable from the server`);
    expect(report.verdict.fix).toContain("bundled copy of Claude Code's document");
    expect(report.verdict.fix).toContain('unverified clients restricted to loopback redirect URIs');
    expect(report.verdict.fix).toContain('connect the auth service to the network, or pin a DCR client');
    expect(step(report, 'callback-listener').status).toBe('skip');
    // Refused before any workspace was chosen: the audit has it without one, with the socket error.
    const event = await e2e.db
      .selectFrom('auth_events')
      .select(['reason', 'client_id', 'details'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      reason: 'unknown_client',
      client_id: CLAUDE_DOCUMENT,
      details: { fetchFailure: expect.any(String) },
    });

    // With the document out of the way (what a server without CIMD makes Claude Code do), it registers and connects.
    await setAcmeMcp(e2e.db, { allowed_redirect_uris: ['http://localhost:3146/callback'] });
    const registered = await doctor(e2e, { callbackPort: 3146, registration: 'dcr' });
    expect(notPassed(registered)).toEqual([]);
  });
});
