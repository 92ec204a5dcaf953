// A host application on the MCP SDK client, written as the SDK's own example client is
// (examples/client/simpleOAuthClient): it connects with an OAuthClientProvider, and whenever the SDK
// throws UnauthorizedError (it has sent the user to the browser) the person signs in and approves in
// Chromium, the host hands the code to `finishAuth` and tries again. Everything else the SDK decides
// itself: refreshing, retrying, giving up. The host only counts and bounds the browser visits.
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser } from 'playwright-core';
import { approveInBrowser } from './browser.ts';
import { MemoryOAuthProvider } from './sdk-provider.ts';
import { ADMIN } from './whoami.ts';

/** Where the person was sent, and how the browser step ended. */
export interface BrowserVisit {
  /** The authorization URL the SDK built. */
  url: URL;
  /** The callback the server redirected to (code and state stripped), or the error page's alert. */
  callback?: URL;
  errorText?: string;
}

export type ToolResult = Awaited<ReturnType<Client['callTool']>>;

export class SdkHost {
  readonly provider: MemoryOAuthProvider;
  readonly visits: BrowserVisit[] = [];
  /** When the SDK last saved tokens, and how long it was told the access token lives. */
  private savedAt = 0;
  private client: Client | undefined;
  private transport: StreamableHTTPClientTransport | undefined;

  constructor(
    private readonly mcpUrl: string,
    private readonly browser: Browser,
    name: string,
    /** More browser visits than this for one action is a loop: the host stops it. */
    private readonly maxVisits = 3,
  ) {
    this.provider = new MemoryOAuthProvider(name);
    const save = this.provider.saveTokens.bind(this.provider);
    this.provider.saveTokens = (tokens) => {
      this.savedAt = Date.now();
      save(tokens);
    };
  }

  /** Resolves once the access token the SDK holds has outlived its `expires_in` (as the server stated it). */
  async accessTokenExpired(): Promise<void> {
    const expiresIn = this.provider.saved?.expires_in;
    if (expiresIn === undefined) throw new Error('no token with expires_in saved');
    const left = this.savedAt + expiresIn * 1000 + 250 - Date.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  /** The client ID the SDK registered (or undefined before registration). */
  get clientId(): string | undefined {
    return this.provider.client?.client_id;
  }

  /** Connects (initialize), through as many browser visits as the SDK asks for, up to the bound. */
  async connect(): Promise<void> {
    await this.untilAuthorized(async () => {
      this.transport = new StreamableHTTPClientTransport(new URL(this.mcpUrl), { authProvider: this.provider });
      const client = new Client({ name: 'enginy-lab-sdk-host', version: '1.0.0' });
      await client.connect(this.transport);
      this.client = client;
    });
  }

  /** Calls a tool on the connected client, as the host would again after each browser visit. */
  async call(name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
    const client = this.client;
    if (client === undefined) throw new Error('connect first');
    return await this.untilAuthorized(() => client.callTool({ name, arguments: args }));
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  private async untilAuthorized<T>(action: () => Promise<T>): Promise<T> {
    let visits = 0;
    for (;;) {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        visits += 1;
        if (visits > this.maxVisits) throw new Error(`loop: sent to the browser ${visits} times for one action`);
        const code = await this.browserVisit();
        // The SDK's own transport redeems the code (with the verifier and client it stored).
        await (this.transport as StreamableHTTPClientTransport).finishAuth(code);
      }
    }
  }

  /** The person signs in and approves; the code, or an error naming the page's alert. */
  private async browserVisit(): Promise<string> {
    const url = this.provider.authorizationUrl as URL;
    const step = await approveInBrowser(url.href, ADMIN, { browser: this.browser, workspace: 'Acme Outreach' });
    const visit: BrowserVisit = { url };
    this.visits.push(visit);
    if (step.callback === undefined) {
      visit.errorText = step.errorText;
      throw new BrowserStopped(step.errorText);
    }
    const code = step.callback.searchParams.get('code') ?? '';
    step.callback.searchParams.delete('code');
    step.callback.searchParams.delete('state');
    visit.callback = step.callback;
    return code;
  }
}

/** The authorization server showed an error page instead of redirecting back. */
export class BrowserStopped extends Error {
  constructor(readonly errorText: string) {
    super(`the browser step stopped on: ${errorText}`);
  }
}
