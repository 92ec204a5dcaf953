// The client matrix against one running stack: every way a real client connects ends with an
// mcp_whoami whose granted scopes are the workspace policy. Sequential: they share port 3118.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CLAUDE_CODE_REDIRECT_URI as CALLBACK, CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { SEED_IDS } from '@enginy/db/seed';
import type { Connection, Report } from '@enginy/doctor/report';
import { newClientCredentials } from '@enginy/security/credentials';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser } from '../src/browser.ts';
import { doctor, waitForFreePort } from '../src/doctor-run.ts';
import { serveJson } from '../src/fixture-server.ts';
import { MemoryOAuthProvider } from '../src/sdk-provider.ts';
import { whoami } from '../src/whoami.ts';
import { ADMIN, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser({ CIMD_ALLOW_HTTP_LOCALHOST: 'true' });
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'enginy-doctor-clients-'));
let policy: string[];

beforeAll(async () => {
  const settings = await e2e.db
    .selectFrom('workspace_mcp_settings')
    .select('policy_scopes')
    .where('workspace_id', '=', SEED_IDS.acme)
    .executeTakeFirstOrThrow();
  policy = [...settings.policy_scopes].sort();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sorted = (scopes: string[]) => [...scopes].sort();

/** mcp_whoami through an MCP SDK client that is already connected, as the doctor reports it. */
async function connectionOf(client: Client): Promise<Connection> {
  const who = await whoami(client);
  expect(who.checks.every((check) => check.ok)).toBe(true);
  return {
    user: who.user.email,
    workspace: who.workspace.name,
    client: { id: '', ...who.client },
    grantedScopes: who.grantedScopes,
    policyScopes: [],
  };
}

function expectConnected(connection: Connection | undefined, clientName: string) {
  expect(connection).toMatchObject({ user: ADMIN.email, workspace: 'Acme Outreach', client: { name: clientName } });
  expect(sorted(connection?.grantedScopes ?? [])).toEqual(policy);
}

function expectDoctorConnected(report: Report, clientName: string) {
  expect(report.steps.filter((s) => s.status !== 'pass')).toEqual([]);
  expect(report.verdict.status).toBe('connected');
  expectConnected(report.connection, clientName);
}

describe('client matrix', { timeout: 60_000 }, () => {
  it('the doctor CLI (dynamic registration, Chromium) exits 0 with every step passed', async () => {
    const cli = require.resolve('@enginy/doctor/run').replace(/run\.ts$/, 'cli.ts');
    const args = [
      cli,
      e2e.stack.config.openapi.mcpUrl,
      '--registration',
      'dcr',
      '--browser=playwright',
      '--email',
      ADMIN.email,
      '--password',
      ADMIN.password,
      '--workspace',
      'Acme Outreach',
      '--json',
    ];
    // Rejects on a non-zero exit.
    await waitForFreePort(CLAUDE_CODE_CALLBACK_PORT);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });
    expectDoctorConnected(JSON.parse(stdout) as Report, 'Claude Code (enginy doctor)');
  });

  it('the MCP SDK client (what Claude Code is built on)', async () => {
    const provider = new MemoryOAuthProvider('SDK client');
    const url = new URL(e2e.stack.config.openapi.mcpUrl);
    await expect(
      new Client({ name: 'sdk', version: '1' }).connect(
        new StreamableHTTPClientTransport(url, { authProvider: provider }),
      ),
    ).rejects.toThrow();
    const step = await approveInBrowser((provider.authorizationUrl as URL).href, ADMIN, {
      browser: e2e.browser,
      workspace: 'Acme Outreach',
    });
    await new StreamableHTTPClientTransport(url, { authProvider: provider }).finishAuth(
      step.callback?.searchParams.get('code') as string,
    );
    const client = new Client({ name: 'sdk', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    expectConnected(await connectionOf(client), 'SDK client');
    await client.close();
  });

  it('mcp-remote <url> 3118 --callback-path /callback', async () => {
    const urls = join(dir, 'opened.txt');
    const opener = join(dir, 'browser.sh');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urls}'\n`);
    chmodSync(opener, 0o755);
    const proxy = join(dirname(require.resolve('mcp-remote/package.json')), 'dist/proxy.js');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [proxy, e2e.stack.config.openapi.mcpUrl, String(CLAUDE_CODE_CALLBACK_PORT), '--callback-path', '/callback'],
      env: { PATH: process.env.PATH ?? '', HOME: dir, MCP_REMOTE_CONFIG_DIR: join(dir, 'mcp-remote'), BROWSER: opener },
      stderr: 'pipe',
    });
    const stderr: string[] = [];
    transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
    const client = new Client({ name: 'via-mcp-remote', version: '1' });
    await waitForFreePort(CLAUDE_CODE_CALLBACK_PORT);
    const connecting = client.connect(transport);
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(urls) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const authorizeUrl = readFileSync(urls, 'utf8').trim().split('\n')[0] as string;
      expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(CALLBACK);
      // Chromium requests the callback from mcp-remote's listener on :3118 itself, as a person's browser
      // does (intercepted and fetched instead, Chromium's silent connection holds mcp-remote's close():
      // src/mcp-remote-host.ts).
      const step = await approveInBrowser(authorizeUrl, ADMIN, {
        browser: e2e.browser,
        workspace: 'Acme Outreach',
        callback: 'deliver',
      });
      expect(step.callback?.searchParams.get('code')).toBeTruthy();
      await connecting;
      expectConnected(await connectionOf(client), 'MCP CLI Proxy');
    } catch (error) {
      throw new Error(`${(error as Error).message}\nmcp-remote said:\n${stderr.join('').slice(-3000)}`);
    } finally {
      await client.close();
    }
  });

  it.each(['client_secret_post', 'client_secret_basic'] as const)(
    'a pre-registered client with %s (the doctor with --client-id/--client-secret)',
    async (authMethod) => {
      const name = `Pre-registered ${authMethod}`;
      const { clientId, clientSecret } = await createPreregisteredClient(e2e.db, e2e.stack.config.tokenHashKey, {
        ...newClientCredentials(),
        name,
        redirectUris: [CALLBACK],
        tokenEndpointAuthMethod: authMethod,
      });
      const report = await doctor(e2e, { clientId, clientSecret, authMethod });
      expectDoctorConnected(report, name);
      expect(report.connection?.client.id).toBe(clientId);
    },
  );

  it('a CIMD client whose metadata document lists portless loopback redirect URIs', async () => {
    // Claude Code's document lists its redirect URIs without the port the request carries (:3118).
    const path = '/oauth/client-metadata.json';
    const redirectUris = ['http://localhost/callback', 'http://127.0.0.1/callback'];
    const documents = await serveJson((base) => ({
      [path]: {
        client_id: `${base}${path}`,
        client_name: 'Claude Code (CIMD)',
        redirect_uris: redirectUris,
        token_endpoint_auth_method: 'none',
      },
    }));
    try {
      const clientId = `${documents.url}${path}`;
      const report = await doctor(e2e, { clientId });
      expectDoctorConnected(report, 'Claude Code (CIMD)');
      expect(report.connection?.client.id).toBe(clientId);
    } finally {
      await documents.close();
    }
  });
});
