// `pnpm run doctor --conformance` against a real stack: the seeded stack holds to every contract it
// publishes (with a token from the connection flow in Chromium, and with --token through the CLI), a
// refused token fails only the MCP rows, and a deployment that breaks the contracts gets one failed
// row per broken contract, each with its fix.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import { SEED_IDS } from '@enginy/db/seed';
import { type ConformanceStepId, runConformance } from '@enginy/doctor/conformance';
import type { Report } from '@enginy/doctor/report';
import { DEFAULT_OPTIONS } from '@enginy/doctor/options';
import { fetchTransport, oauthClient } from '@enginy/testing/oauth-client';
import { describe, expect, it } from 'vitest';
import { serveBrokenDeployment } from '../src/doctor-fixtures.ts';
import { waitForFreePort } from '../src/doctor-run.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();
const statusOf = (report: Report<ConformanceStepId>) =>
  Object.fromEntries(report.steps.map((step) => [step.id, step.status]));
const rowOf = (report: Report<ConformanceStepId>, id: ConformanceStepId) => report.steps.find((step) => step.id === id);
const everyRow = (status: 'pass') => ({
  challenge: status,
  'resource-metadata': status,
  'auth-server-metadata': status,
  'token-errors': status,
  token: status,
  'host-origin': status,
  initialize: status,
  ping: status,
  'tools-list': status,
});

async function tokenOverHttp(): Promise<string> {
  const { config } = e2e.stack;
  // Over plain HTTP, without a browser and without a `resource` parameter.
  const oauth = oauthClient(fetchTransport(config.auth.issuer), config, {
    clientName: 'bench',
    resource: undefined,
    state: 's',
  });
  return (await oauth.authorizeAndRedeem(await oauth.signIn(ADMIN), { workspaceId: SEED_IDS.acme })).access_token;
}

describe('doctor --conformance', () => {
  it('finds the seeded stack conformant, with a token from the connection flow as Claude Code', async () => {
    await waitForFreePort(CLAUDE_CODE_CALLBACK_PORT);
    const report = await runConformance({
      ...DEFAULT_OPTIONS,
      mcpUrl: e2e.stack.config.openapi.mcpUrl,
      browser: 'playwright',
      chromium: e2e.browser,
      login: { ...ADMIN, workspace: 'Acme Outreach' },
      timeoutMs: 60_000,
      say: () => {},
    });
    expect(statusOf(report), JSON.stringify(report.verdict)).toEqual(everyRow('pass'));
    expect(report.verdict.status).toBe('conformant');
    expect(report.plan?.client).toMatch(/^Claude Code /);
    // The MCP URL is on localhost: its 127.0.0.1 and [::1] aliases are the same server; other sites are not.
    const port = new URL(e2e.stack.config.openapi.mcpUrl).port;
    expect(rowOf(report, 'host-origin')?.detail).toBe(
      `http://localhost:${port} → 200, http://127.0.0.1:${port} → 200, http://[::1]:${port} → 200, http://evil.example → 403, Host evil.example:${port} → 403`,
    );
    expect(rowOf(report, 'tools-list')?.detail).toMatch(/^\d+ tools: mcp_whoami, /);
  });

  it('runs from the command line with --token and --json, and exits 0', async () => {
    const cli = createRequire(import.meta.url)
      .resolve('@enginy/doctor/run')
      .replace(/run\.ts$/, 'cli.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        '--conformance',
        e2e.stack.config.openapi.mcpUrl,
        '--token',
        await tokenOverHttp(),
        '--json',
      ],
      { encoding: 'utf8' },
    );
    const report = JSON.parse(stdout) as Report<ConformanceStepId>;
    expect(report.kind).toBe('conformance');
    expect(statusOf(report)).toEqual(everyRow('pass'));
    expect(rowOf(report, 'token')?.detail).toBe('Given with --token');
  });

  it('fails only the MCP rows for a token the endpoint refuses, with the fix', async () => {
    const report = await runConformance({
      ...DEFAULT_OPTIONS,
      mcpUrl: e2e.stack.config.openapi.mcpUrl,
      token: 'eat_not-a-real-token',
      say: () => {},
    });
    expect(statusOf(report)).toEqual({ ...everyRow('pass'), initialize: 'fail', ping: 'skip', 'tools-list': 'skip' });
    expect(report.verdict).toMatchObject({ status: 'failed', step: 'initialize' });
    expect(rowOf(report, 'initialize')?.fix).toContain('A 401 means the token was refused');
  });

  it('reports each contract a broken deployment breaks, with its fix', async () => {
    // Valid-looking metadata, but the challenge has no scope, the authorization server's metadata
    // is incomplete, /token is an Express 404 and /mcp answers 401 to every Host and Origin.
    const deployment = await serveBrokenDeployment(e2e.stack, 'token-cannot-post');
    try {
      const report = await runConformance({
        ...DEFAULT_OPTIONS,
        mcpUrl: deployment.mcpUrl,
        browser: 'print',
        timeoutMs: 5_000,
        say: () => {},
      });
      expect(statusOf(report)).toEqual({
        challenge: 'fail',
        'resource-metadata': 'pass',
        'auth-server-metadata': 'fail',
        'token-errors': 'skip',
        token: 'fail',
        'host-origin': 'fail',
        initialize: 'skip',
        ping: 'skip',
        'tools-list': 'skip',
      });
      expect(report.verdict).toMatchObject({ status: 'failed', step: 'challenge' });
      expect(rowOf(report, 'challenge')?.detail).toContain('has no scope');
      const as = rowOf(report, 'auth-server-metadata');
      for (const missing of [
        'response_types_supported',
        'grant_types_supported is missing',
        'authorization_response_iss_parameter_supported',
        'token_endpoint_auth_methods_supported is missing',
      ]) {
        expect(as?.detail).toContain(missing);
      }
      expect(rowOf(report, 'token')?.detail).toContain('stopped at "Token endpoint answers OAuth JSON"');
      expect(rowOf(report, 'host-origin')?.detail).toContain('authentication ran before the Host/Origin check');
    } finally {
      await deployment.close();
    }
  });
});
