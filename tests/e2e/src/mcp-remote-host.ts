// mcp-remote (the stdio bridge) as an MCP host runs it: spawned with the SDK's stdio client, its
// `$BROWSER` a script that appends each authorization URL it opens to a file. A watcher takes every
// new URL, signs in and approves in Chromium, and Chromium itself requests the callback from
// mcp-remote's own listener on :3118, as a person's browser would, for as long as the session lives,
// so a re-authorization mid-call is served too. Its login is kept in its own MCP_REMOTE_CONFIG_DIR.
//
// The browser must deliver the callback itself. Navigating to the callback, Chromium opens a connection
// to :3118 and sends the request on it. Intercepted (page.route) and delivered by fetch instead, that
// connection stays open without a byte sent (30 of 30 intercepted navigations), at times for minutes.
// mcp-remote awaits its listener's close() before it starts its stdio side (and after a
// re-authorization), and on Node 20 close() waits for as long as such a connection is open: Node counts
// a connection that never sent a byte as busy, and close() stops the headers-timeout check that would
// have ended it. mcp-remote then logged "Connected to remote server" and never "Local STDIO server
// running" (see the test file's header).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLAUDE_CODE_CALLBACK_PORT } from '@enginy/config/defaults';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Browser } from 'playwright-core';
import { approveInBrowser } from './browser.ts';
import type { BrowserVisit, ToolResult } from './sdk-host.ts';
import { ADMIN } from './whoami.ts';

const require = createRequire(import.meta.url);
export const MCP_REMOTE_PROXY = join(dirname(require.resolve('mcp-remote/package.json')), 'dist/proxy.js');
export const MCP_REMOTE_VERSION = (require('mcp-remote/package.json') as { version: string }).version;

export class McpRemoteHost {
  readonly visits: BrowserVisit[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'enginy-lab-mcp-remote-'));
  private readonly urls = join(this.dir, 'opened-urls.txt');
  private readonly stderr: string[] = [];
  private client: Client | undefined;
  private watching = false;
  private watcher: Promise<void> | undefined;

  constructor(
    private readonly mcpUrl: string,
    private readonly browser: Browser,
    /** More browser visits than this in one session is a loop: the watcher stops serving them. */
    private readonly maxVisits = 3,
  ) {
    const opener = join(this.dir, 'browser.sh');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${this.urls}'\n`);
    chmodSync(opener, 0o755);
  }

  /** What mcp-remote wrote to stderr (its log), so far. */
  get log(): string {
    return this.stderr.join('');
  }

  /** Starts mcp-remote and connects through it (initialize), serving any browser step it opens. */
  async connect(): Promise<void> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE_PROXY, this.mcpUrl, String(CLAUDE_CODE_CALLBACK_PORT), '--callback-path', '/callback'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: this.dir,
        MCP_REMOTE_CONFIG_DIR: join(this.dir, 'config'),
        BROWSER: join(this.dir, 'browser.sh'),
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk) => this.stderr.push(String(chunk)));
    this.watching = true;
    this.watcher ??= this.watch();
    const client = new Client({ name: 'enginy-lab-via-mcp-remote', version: '1.0.0' });
    // The browser step is inside initialize: under load it takes longer than the SDK's default 60 s.
    await client.connect(transport, { timeout: 120_000 });
    this.client = client;
  }

  async call(name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
    if (this.client === undefined) throw new Error('connect first');
    return await this.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  }

  /** Stops mcp-remote; the login it saved stays in `dir` until `dispose`. */
  async close(): Promise<void> {
    this.watching = false;
    await this.client?.close();
    this.client = undefined;
    await this.watcher;
    this.watcher = undefined;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private opened(): string[] {
    return existsSync(this.urls) ? readFileSync(this.urls, 'utf8').trim().split('\n').filter(Boolean) : [];
  }

  private async watch(): Promise<void> {
    while (this.watching) {
      const url = this.opened()[this.visits.length];
      if (url === undefined || this.visits.length >= this.maxVisits) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const visit: BrowserVisit = { url: new URL(url) };
      this.visits.push(visit);
      const step = await approveInBrowser(url, ADMIN, {
        browser: this.browser,
        workspace: 'Acme Outreach',
        callback: 'deliver',
      });
      if (step.callback === undefined) {
        visit.errorText = step.errorText;
        continue;
      }
      step.callback.searchParams.delete('code');
      step.callback.searchParams.delete('state');
      visit.callback = step.callback;
    }
  }

  /** Every URL mcp-remote opened, served or not (more than `maxVisits` is a loop). */
  get openedUrls(): string[] {
    return this.opened();
  }
}
