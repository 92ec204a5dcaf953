// The real Gemini CLI as a person drives it: `gemini mcp add` from a scratch HOME, its redirect fixed
// by the recipe (`oauth.redirectUri` in the server's settings entry), then its interactive UI in a
// pseudo-terminal (OAuth starts only from there): trust the folder, choose the API-key method, and
// `/mcp auth enginy`. Shared by the tests that drive it (real-client-gemini, lab-agents-gemini).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenerRecord } from './browser-desk.ts';
import { browserRecord, cliCommand, type RunResult, run, scratch } from './agent-clis.ts';
import { freeCallbackPort } from './real-clients.ts';
import { TerminalSession } from './tmux.ts';

/** The redirect the recipe fixes (Gemini's own default is a random port). */
export const GEMINI_REDIRECT_URI = 'http://localhost:3118/oauth/callback';

type ServerEntry = { oauth?: Record<string, unknown> } & Record<string, unknown>;

const OPENING = /Opening your browser/;
/** The last `lines` lines of the screen. */
const tail = (screen: string, lines: number) => screen.trimEnd().split('\n').slice(-lines).join('\n');

export class GeminiCli {
  readonly command = cliCommand('gemini');
  readonly s = scratch('gemini');
  // Any key: the API-key method only has to be chosen, never used.
  readonly env = { ...this.s.env, GEMINI_API_KEY: 'offline-e2e-key' };
  private terminal: TerminalSession | undefined;
  private browserRuns = 0;

  /** `gemini <args>` to its end, in the project folder. */
  run(...args: string[]): Promise<RunResult> {
    return run([...this.command, ...args], { cwd: this.s.project, env: this.env });
  }

  /**
   * The scratch user's settings (no update checks or usage statistics), the project folder trusted,
   * and `gemini mcp add --transport http enginy <mcpUrl>` with the recipe's redirect: what `mcp add` said.
   */
  async add(mcpUrl: string): Promise<RunResult> {
    mkdirSync(join(this.s.home, '.gemini'));
    writeFileSync(
      join(this.s.home, '.gemini', 'settings.json'),
      JSON.stringify({
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
        privacy: { usageStatisticsEnabled: false },
      }),
    );
    // The project folder trusted as its trust dialog records it: on a loaded machine the dialog's
    // answer was once lost, and an untrusted folder's MCP servers are skipped ("server not found").
    writeFileSync(
      join(this.s.home, '.gemini', 'trustedFolders.json'),
      JSON.stringify({ [this.s.project]: 'TRUST_FOLDER' }),
    );
    const added = await this.run('mcp', 'add', '--transport', 'http', 'enginy', mcpUrl);
    this.editServerEntry((entry) => {
      entry.oauth = { redirectUri: GEMINI_REDIRECT_URI };
    });
    return added;
  }

  private editServerEntry(edit: (entry: ServerEntry) => void): void {
    const file = join(this.s.project, '.gemini', 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, ServerEntry> };
    edit(settings.mcpServers.enginy as ServerEntry);
    writeFileSync(file, JSON.stringify(settings, null, 2));
  }

  /** Starts the UI (ending one already running); the first time, picks the API-key method. */
  async start(firstRun: boolean): Promise<TerminalSession> {
    await this.terminal?.close();
    const t = await TerminalSession.start(this.command, { cwd: this.s.project, env: this.env });
    this.terminal = t;
    if (firstRun) {
      // The folder is trusted in ~/.gemini/trustedFolders.json (add); should the dialog still come,
      // trusting restarts the CLI, which then asks how to authenticate.
      const first = await t.waitFor(/● 1\. Trust folder|How would you like to authenticate/, 60_000);
      if (/● 1\. Trust folder/.test(first))
        await this.confirm(/● 1\. Trust folder/, /How would you like to authenticate/, 1, 60_000);
      await t.waitFor(/● 2\. Use Gemini API Key/);
      await this.confirm(/● 2\. Use Gemini API Key/, /Enter Gemini API Key/);
      await this.confirm(/Enter Gemini API Key/, /Type your message/, 1, 60_000);
    }
    await t.waitFor(/Type your message/, 60_000);
    return t;
  }

  get ui(): TerminalSession {
    if (this.terminal === undefined) throw new Error('The Gemini UI is not running');
    return this.terminal;
  }

  /** How many times the screen and its scrollback show `pattern`. */
  async count(pattern: RegExp): Promise<number> {
    return (await this.ui.screen()).match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
  }

  /** Waits until the screen and its scrollback show `pattern` `times` times: the screen. */
  async waitFor(pattern: RegExp, times = 1, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.ui.screen();
      if ((screen.match(new RegExp(pattern.source, 'gm'))?.length ?? 0) >= times) return screen;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`The terminal never showed ${pattern} ${times} times:\n${tail(screen, 40)}`);
  }

  /**
   * Resolves once two captures of the screen half a second apart are the same and no longer show
   * the scrolling list of every command ("(0/42)") under the input (at most 10 s).
   */
  private async settled(): Promise<void> {
    let last = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const screen = await this.ui.screen();
      if (screen === last && !/^\s*\(\d+\/\d+\)\s*$/m.test(tail(screen, 15))) return;
      last = screen;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** `/mcp auth enginy`, confirmed, once the callback port is free: resolves once it opened the browser. */
  async auth(): Promise<void> {
    await freeCallbackPort();
    // Counted: the scrollback keeps what earlier sign-ins printed.
    const opened = (await this.count(OPENING)) + 1;
    await this.slashCommand('/mcp auth enginy', /Do you want to continue\?/);
    await this.confirm(/Do you want to continue\?/, OPENING, opened);
    this.browserRuns += 1;
  }

  /** `/mcp auth enginy` through the browser: the browser run's record. */
  async authInBrowser(): Promise<OpenerRecord> {
    await this.auth();
    return await this.lastBrowserRun();
  }

  /** The record of the browser the last `auth` opened, once that browser has finished. */
  lastBrowserRun(): Promise<OpenerRecord> {
    return browserRecord(this.s, this.browserRuns);
  }

  /**
   * Types a slash command and presses Enter until the UI answers (shows `answer` `times` times): a
   * loaded machine can make the UI drop a key press (the command stays in the input) or ignore
   * typing while it reloads a server.
   */
  async slashCommand(command: string, answer: RegExp, times = 1): Promise<string> {
    const t = this.ui;
    for (let attempt = 1; ; attempt++) {
      if (!tail(await t.screen(), 6).includes(`> ${command}`)) await t.type(command, false);
      // Its suggestions follow the typing late: Enter pressed while they still list the commands
      // for "/" runs the selected one ("/mcp auth clear"), so the screen must settle first.
      await this.settled();
      await t.type('');
      try {
        return await this.waitFor(answer, times, 15_000);
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /**
   * Presses Enter on the selected option of `dialog` until the screen shows `next` (`times` times),
   * again if a press was lost.
   */
  async confirm(dialog: RegExp, next: RegExp, times = 1, timeoutMs = 15_000): Promise<void> {
    const t = this.ui;
    for (let attempt = 1; ; attempt++) {
      await t.type('');
      try {
        await this.waitFor(next, times, timeoutMs);
        return;
      } catch (error) {
        if (attempt === 3 || !dialog.test(tail(await t.screen(), 30))) throw error;
      }
    }
  }

  /** What Gemini stored for enginy: with no OS keychain module built, ~/.gemini/mcp-oauth-tokens.json. */
  storedToken(): StoredToken | undefined {
    const file = join(this.s.home, '.gemini', 'mcp-oauth-tokens.json');
    let tokens: StoredToken[];
    try {
      tokens = JSON.parse(readFileSync(file, 'utf8')) as StoredToken[];
    } catch {
      return undefined;
    }
    return tokens.find((entry) => entry.serverName === 'enginy');
  }

  async close(): Promise<void> {
    await this.terminal?.close();
    this.s.remove();
  }
}

export interface StoredToken {
  serverName: string;
  clientId?: string;
  token: { accessToken: string; refreshToken?: string; expiresAt?: number; scope?: string };
}
