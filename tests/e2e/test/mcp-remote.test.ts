// mcp-remote (the stdio bridge many MCP clients use) against the running stack, driven by the SDK's
// stdio client: it registers, "opens the browser" ($BROWSER hands the URL to this test, which signs
// in and approves in Chromium), receives the callback on :3118/callback and exchanges the code.
// Chromium itself requests the callback, as a person's browser does: intercepted and delivered with
// fetch instead, Chromium keeps its connection to :3118 open and silent, and mcp-remote's awaited
// close() of its listener then never ends, so its stdio side never starts (src/mcp-remote-host.ts).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowser, sharedBrowser } from '../src/browser.ts';
import { ADMIN, whoami } from '../src/whoami.ts';

const require = createRequire(import.meta.url);
const PROXY = join(dirname(require.resolve('mcp-remote/package.json')), 'dist/proxy.js');

let stack: TestStack;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'enginy-mcp-remote-'));
const urlsFile = join(dir, 'opened-urls.txt');

beforeAll(async () => {
  stack = await startTestStack();
  browser = await sharedBrowser();
  // What mcp-remote runs to "open the browser": record the URL for the test to take over.
  const opener = join(dir, 'browser.sh');
  writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urlsFile}'\n`);
  chmodSync(opener, 0o755);
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openedUrl(timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(urlsFile)) {
      const line = readFileSync(urlsFile, 'utf8').trim().split('\n').at(-1);
      if (line) return line;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('mcp-remote never opened an authorization URL');
}

describe('mcp-remote http://localhost:<port>/mcp 3118 --callback-path /callback', () => {
  it('authorizes through the browser and calls mcp_whoami with the policy scopes granted', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [PROXY, stack.config.openapi.mcpUrl, String(CLAUDE_CODE_CALLBACK_PORT), '--callback-path', '/callback'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        MCP_REMOTE_CONFIG_DIR: join(dir, 'config'),
        BROWSER: join(dir, 'browser.sh'),
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
    const client = new Client({ name: 'e2e-via-mcp-remote', version: '1.0.0' });
    const connecting = client.connect(transport);

    try {
      const authorizeUrl = new URL(await openedUrl());
      expect(authorizeUrl.origin).toBe(stack.config.auth.issuer);
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe('http://localhost:3118/callback');
      const step = await approveInBrowser(authorizeUrl.href, ADMIN, {
        browser,
        workspace: 'Acme Outreach',
        callback: 'deliver',
      });
      expect(step.errorText).toBeUndefined();
      expect(step.callback?.searchParams.get('code')).toBeTruthy();
      await connecting;

      const who = await whoami(client);
      expect(who.user.email).toBe(ADMIN.email);
      expect(who.client.name).toBe('MCP CLI Proxy');
      expect([...who.grantedScopes].sort()).toEqual([...READ_SCOPES].sort());
      expect(who.checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(20);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nmcp-remote said:\n${stderr.join('').slice(-3000)}`);
    } finally {
      await client.close();
    }
  });
});
