// `pnpm mcp-token` against a real stack: the token it prints works with the MCP SDK client, and every
// policy check of the OAuth flow applies to it, with the server's own words on a denial.
import { READ_SCOPES } from '@enginy/policy/scopes';
import { freePort } from '@enginy/stack/ports';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { mcpTokenCli } from '../src/mcp-token-cli.ts';
import { useStack } from '../src/stack-fixture.ts';
import { ADMIN, type Whoami, whoami } from '../src/whoami.ts';

const ctx = useStack();
const mcpUrl = () => ctx.stack.config.openapi.mcpUrl;

async function whoamiWith(token: string): Promise<Whoami> {
  const client = new Client({ name: 'mcp-token-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl()), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  try {
    return await whoami(client);
  } finally {
    await client.close();
  }
}

describe('pnpm mcp-token', () => {
  it('prints only an access token (TOKEN=$(pnpm -s mcp-token)) that calls mcp_whoami with every check passing', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl()], {}, '-s');
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(run.stdout).toBe(`${token}\n`);
    const who = await whoamiWith(token);
    expect(who.user.email).toBe(ADMIN.email);
    expect(who.workspace.name).toBe('Acme Outreach');
    expect(who.client.name).toBe('enginy mcp-token');
    // Like a real client it asked for what the challenge offers: the seeded policy's READ scopes.
    expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
    expect(who.checks.length).toBeGreaterThan(0);
    expect(who.checks.every((check) => check.ok)).toBe(true);
  });

  it('--json prints the whole token response', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl(), '--json', '--workspace', 'Acme Outreach']);
    expect(run.code).toBe(0);
    const token = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(token.access_token).toEqual(expect.any(String));
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(String(token.scope).split(' ').sort()).toEqual([...READ_SCOPES].sort());
  });

  it('--scopes narrows the grant', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl(), '--json', '--scopes', 'CONTACTS_READ,WORKSPACE_READ']);
    expect(run.code).toBe(0);
    const token = JSON.parse(run.stdout) as { access_token: string; scope: string };
    expect(token.scope.split(' ').sort()).toEqual(['CONTACTS_READ', 'WORKSPACE_READ']);
    const who = await whoamiWith(token.access_token);
    expect([...who.grantedScopes].sort()).toEqual(['CONTACTS_READ', 'WORKSPACE_READ']);
    expect(who.checks.every((check) => check.ok)).toBe(true);
  });

  it('a scope beyond the policy gets the server message and exit 1', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl(), '--scopes', 'CONTACTS_READ,CONTACTS_WRITE']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe('Requested scopes are not allowed');
    expect(run.stderr).toContain('CONTACTS_WRITE');
  });

  it('a redirect URI the workspace does not list gets the server message, and why it matters', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl(), '--redirect-uri', 'http://localhost:3119/callback']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe('redirect_uri is not allowed');
    expect(run.stderr).toContain('"Allowed redirect URIs"');
  });

  it('chooses the workspace by slug: globex does not list the redirect URI; one the user lacks is named', async () => {
    const globex = await mcpTokenCli(['--mcp-url', mcpUrl(), '--workspace', 'globex']);
    expect(globex.code).toBe(1);
    expect(globex.stderr.split('\n')[0]).toBe('redirect_uri is not allowed');
    const none = await mcpTokenCli(['--mcp-url', mcpUrl(), '--workspace', 'initech']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `${ADMIN.email} has no workspace "initech"; theirs: acme (Acme Outreach), globex (Globex Sales)\n`,
    );
  });

  it('a wrong password gets the sign-in message and exit 1', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl(), '--password', 'wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/password/i);
  });
});

describe('pnpm mcp-token refuses', () => {
  it('NODE_ENV=production, with exit 2', async () => {
    const run = await mcpTokenCli(['--mcp-url', mcpUrl()], { NODE_ENV: 'production' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('NODE_ENV=production');
  });

  it('an unknown option with one line and the usage, exit 2; --help with the usage, exit 0', async () => {
    const run = await mcpTokenCli(['--scope', 'CONTACTS_READ']);
    expect(run.code).toBe(2);
    const [line, usage, rest] = run.stderr.split('\n');
    expect(line).toBe('Unknown option --scope');
    expect(usage).toMatch(/^Usage: pnpm mcp-token /);
    expect(rest).toBe('');
    const help = await mcpTokenCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pnpm mcp-token /);
  });

  it('an unreachable stack, in one line without a stack trace', async () => {
    const run = await mcpTokenCli(['--mcp-url', `http://127.0.0.1:${await freePort()}/mcp`]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Cannot reach the stack');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
