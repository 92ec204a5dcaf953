// The doctor's failure-mode matrix against the running stack: one case per entry of "Common Claude
// Code issues". Each asserts the verdict names the cause and its fix, and that the audit list the
// console shows recorded the same reason wherever the authorization server saw the attempt.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { CLAUDE_CODE_REDIRECT_URI as CALLBACK } from '@enginy/config/defaults';
import { knownClient } from '@enginy/config/known-clients';
import { SEED_IDS } from '@enginy/db/seed';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import type { Report } from '@enginy/doctor/report';
import { newClientCredentials } from '@enginy/security/credentials';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrokenDeployment, serveBrokenDeployment } from '../src/doctor-fixtures.ts';
import { doctor, lastAttempt, setAcmeMcp, step } from '../src/doctor-run.ts';
import { useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
let seeded: {
  enabled: boolean;
  allowed_redirect_uris: string[];
  allowed_client_ids: string[];
  policy_scopes: string[];
  policy_active: boolean;
};

beforeAll(async () => {
  seeded = await e2e.db
    .selectFrom('workspace_mcp_settings')
    .select(['enabled', 'allowed_redirect_uris', 'allowed_client_ids', 'policy_scopes', 'policy_active'])
    .where('workspace_id', '=', SEED_IDS.acme)
    .executeTakeFirstOrThrow();
});
afterEach(() => setAcmeMcp(e2e.db, seeded));

/** The failed step, its entry and its fix, as the JSON verdict names them. */
const verdictOf = (report: Report) => ({
  status: report.verdict.status,
  step: report.verdict.step,
  entry: report.verdict.entry,
});
const countEvents = async () =>
  Number(
    (
      await e2e.db
        .selectFrom('auth_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the workspace refuses the browser step', () => {
  it('redirect URI not allowlisted: names the exact URI to add', async () => {
    await setAcmeMcp(e2e.db, { allowed_redirect_uris: ['http://localhost:4000/other'] });
    const report = await doctor(e2e);
    expect(verdictOf(report)).toEqual({ status: 'failed', step: 'redirect-uri', entry: 'redirect_uri is not allowed' });
    expect(report.verdict.fix).toContain(`Add ${CALLBACK} to "Allowed redirect URIs"`);
    expect(step(report, 'registration').status).toBe('pass');
    expect(step(report, 'token-exchange').status).toBe('skip');
    expect(await lastAttempt(e2e.stack)).toMatchObject({
      outcome: 'denied',
      reason: 'redirect_uri_not_allowed',
      message: 'redirect_uri is not allowed',
      redirect_uri: CALLBACK,
    });
  });

  it.each([
    ['callback on another port (--callback-port 3119)', { callbackPort: 3119 }, 'http://localhost:3119/callback'],
    [
      '127.0.0.1 instead of localhost (--redirect-host 127.0.0.1)',
      { redirectHost: '127.0.0.1' as const },
      'http://127.0.0.1:3118/callback',
    ],
  ])('%s: the allowlist holds only the localhost:3118 URI', async (_name, overrides, sent) => {
    const report = await doctor(e2e, overrides);
    expect(verdictOf(report)).toEqual({ status: 'failed', step: 'redirect-uri', entry: 'redirect_uri is not allowed' });
    expect(report.verdict.fix).toContain(`Add ${sent} to "Allowed redirect URIs"`);
    expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'redirect_uri_not_allowed', redirect_uri: sent });
  });

  it('client ID allowlist pinning another client: names the client ID to add', async () => {
    await setAcmeMcp(e2e.db, { allowed_client_ids: ['https://chatgpt.com/oauth/codex/client.json'] });
    const report = await doctor(e2e);
    expect(verdictOf(report)).toEqual({ status: 'failed', step: 'client-id', entry: 'OAuth client_id is not allowed' });
    const event = await lastAttempt(e2e.stack);
    expect(event).toMatchObject({ reason: 'client_id_not_allowed' });
    expect(report.verdict.fix).toContain(`Add this exact client ID to "Allowed OAuth client IDs": ${event?.client_id}`);
    expect(step(report, 'registration').detail).toContain(event?.client_id as string);
  });

  it("scopes outside the ceiling (--scope CONTACTS_WRITE): narrow the request the client's way, or expand", async () => {
    const report = await doctor(e2e, { scope: 'CONTACTS_WRITE' });
    expect(verdictOf(report)).toEqual({ status: 'failed', step: 'scopes', entry: 'Requested scopes are not allowed' });
    expect(report.verdict.fix).toContain(
      `Claude Code requested CONTACTS_WRITE; the workspace policy allows ${seeded.policy_scopes.join(' ')}.`,
    );
    expect(report.verdict.fix).toContain(
      `Narrow the request: ${knownClient('claude-code').narrowScopes(seeded.policy_scopes)}`,
    );
    expect(report.verdict.fix).toContain('or expand the policy in Enginy to include CONTACTS_WRITE');
    expect(await lastAttempt(e2e.stack)).toMatchObject({
      reason: 'scopes_not_allowed',
      requested_scopes: ['CONTACTS_WRITE'],
    });
  });

  it('MCP disabled: enable MCP for the workspace', async () => {
    await setAcmeMcp(e2e.db, { enabled: false });
    const report = await doctor(e2e);
    expect(verdictOf(report)).toEqual({
      status: 'failed',
      step: 'workspace-policy',
      entry: 'No active connection appears in Enginy',
    });
    expect(report.verdict.fix).toMatch(/^Enable MCP for the workspace/);
    expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'mcp_disabled' });
  });

  it('policy with no scope: make the policy active with at least one scope', async () => {
    await setAcmeMcp(e2e.db, { policy_scopes: [] });
    const report = await doctor(e2e);
    expect(verdictOf(report)).toEqual({
      status: 'failed',
      step: 'workspace-policy',
      entry: 'No active connection appears in Enginy',
    });
    expect(report.verdict.fix).toMatch(/^Make the policy active with at least one scope/);
    expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'policy_empty' });
  });

  it('consent denied (--deny): the flow must complete through the callback', async () => {
    const report = await doctor(e2e, {
      login: { email: 'dev@enginy.local', password: 'enginy-dev', workspace: 'Acme Outreach', deny: true },
    });
    expect(verdictOf(report)).toEqual({
      status: 'failed',
      step: 'consent',
      entry: 'No active connection appears in Enginy',
    });
    expect(report.verdict.cause).toBe('The callback received error=access_denied (The user denied the request)');
    expect(await lastAttempt(e2e.stack)).toMatchObject({ reason: 'access_denied' });
  });
});

describe('after the consent screen', () => {
  it('token exchange failing (wrong --client-secret): the console lists the failed exchange after the consent', async () => {
    const { clientId } = await createPreregisteredClient(e2e.db, e2e.stack.config.tokenHashKey, {
      ...newClientCredentials(),
      name: 'Doctor wrong secret',
      redirectUris: [CALLBACK],
    });
    const report = await doctor(e2e, { clientId, clientSecret: 'ecs_not-the-secret' });
    expect(verdictOf(report)).toEqual({
      status: 'failed',
      step: 'token-exchange',
      entry: 'No active connection appears in Enginy',
    });
    expect(report.verdict.cause).toMatch(/answered HTTP 401: invalid_client \(Wrong client_secret\)$/);
    expect(report.verdict.fix).toContain('Check --client-secret and --auth-method');
    expect(step(report, 'consent').status).toBe('pass');
    // The approval, then the failed exchange with its reason: what the console's attempts list shows.
    expect(await lastAttempt(e2e.stack)).toMatchObject({
      reason: 'token_exchange_failed',
      client_id: clientId,
      details: { error: 'invalid_client' },
    });
  });
});

describe('needs authentication or Cannot POST /token', () => {
  it.each<[BrokenDeployment, Report['steps'][number]['id'], RegExp]>([
    [
      'metadata-html',
      'resource-metadata',
      /oauth-protected-resource\/mcp: HTTP 404 with HTML \(Cannot GET \/.well-known\/oauth-protected-resource\/mcp\)/,
    ],
    [
      'proxy-rewrites-resource',
      'resource-metadata',
      /resource is "http:\/\/localhost:\d+\/mcp", not the MCP URL http:\/\/localhost:\d+\/mcp \(a proxy rewriting paths or hosts/,
    ],
    [
      'token-cannot-post',
      'token-endpoint',
      /token answered HTTP 404 with HTML \(Cannot POST \/token\), not an OAuth JSON error/,
    ],
  ])('%s: fails %s and says which', async (kind, failedStep, cause) => {
    const deployment = await serveBrokenDeployment(e2e.stack, kind);
    const before = await countEvents();
    try {
      const report = await doctor(e2e, { mcpUrl: deployment.mcpUrl });
      expect(verdictOf(report)).toEqual({
        status: 'failed',
        step: failedStep,
        entry: 'needs authentication or Cannot POST /token',
      });
      expect(report.verdict.cause).toMatch(cause);
      expect(report.verdict.fix).toContain('stale server, a proxy, or the wrong base URL');
      expect(step(report, 'reachable').status).toBe('pass');
      expect(step(report, 'registration').status).toBe('skip');
      // The authorization server never saw an attempt.
      expect(await countEvents()).toBe(before);
    } finally {
      await deployment.close();
    }
  });

  it('the CLI prints the checklist with the fix and exits 1', async () => {
    const deployment = await serveBrokenDeployment(e2e.stack, 'metadata-html');
    try {
      const cli = createRequire(import.meta.url)
        .resolve('@enginy/doctor/run')
        .replace(/run\.ts$/, 'cli.ts');
      // Asynchronously: the fixture server lives in this process.
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, deployment.mcpUrl], {
        encoding: 'utf8',
      }).then(
        () => expect.unreachable('the doctor exited 0'),
        (error: { code: number; stdout: string }) => ({ status: error.code, stdout: error.stdout }),
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`Enginy connection doctor: ${deployment.mcpUrl}`);
      expect(run.stdout).toContain('  ✓ MCP server reachable (401 challenge)');
      expect(run.stdout).toContain('  ✗ Protected-resource metadata valid (resource equals the MCP URL)');
      expect(run.stdout).toContain('      Troubleshooting: "needs authentication or Cannot POST /token"');
      expect(run.stdout).toContain('  · Token exchange (skipped)');
    } finally {
      await deployment.close();
    }
  });
});
