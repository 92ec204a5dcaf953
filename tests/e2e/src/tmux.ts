// A full-screen CLI (Gemini CLI's interactive UI) in a real pseudo-terminal: a private tmux server
// runs it; the test reads the screen and types keys, as a person would.
import { randomBytes } from 'node:crypto';
import { run } from './agent-clis.ts';

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

export class TerminalSession {
  private readonly socket = `enginy-e2e-${randomBytes(4).toString('hex')}`;

  private constructor(private readonly env: Record<string, string>) {}

  /** Starts `command` in a 200×50 terminal in `cwd`, with exactly `env` (nothing of the test's). */
  static async start(
    command: string[],
    options: { cwd: string; env: Record<string, string> },
  ): Promise<TerminalSession> {
    const session = new TerminalSession(options.env);
    const inner = ['env', '-i', ...Object.entries(options.env).map(([key, value]) => `${key}=${value}`), ...command]
      .map(quote)
      .join(' ');
    await session.tmux('new-session', '-d', '-s', 'cli', '-x', '200', '-y', '50', '-c', options.cwd, inner);
    return session;
  }

  private async tmux(...args: string[]): Promise<string> {
    const { code, output } = await run(['tmux', '-L', this.socket, '-f', '/dev/null', ...args], {
      cwd: '/',
      env: this.env,
      timeoutMs: 10_000,
    });
    if (code !== 0) throw new Error(`tmux ${args[0]}: ${output}`);
    return output;
  }

  /** The screen and its scrollback, wrapped lines joined. */
  screen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', 'cli');
  }

  /** Types `text` (literally), then presses Enter unless told not to. */
  async type(text: string, enter = true): Promise<void> {
    if (text !== '') await this.tmux('send-keys', '-t', 'cli', '-l', text);
    // A separate key press: a TUI reading a burst of input may take the Enter as part of a paste.
    if (enter) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await this.tmux('send-keys', '-t', 'cli', 'Enter');
    }
  }

  /** Presses keys by tmux's names (`Down`, `Enter`, `Escape`), one at a time. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux('send-keys', '-t', 'cli', key);
  }

  /**
   * Presses `key` until the screen matches `pattern` (three tries): a TUI that has just drawn a
   * dialog may not read keys yet, and drops the press.
   */
  async pressUntil(key: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      await this.press(key);
      try {
        return await this.waitFor(pattern, timeoutMs);
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Waits until the screen matches `pattern`; returns the screen. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`The terminal never showed ${pattern}:\n${screen.trimEnd().split('\n').slice(-40).join('\n')}`);
  }

  /** Ends the CLI and every process it started (Gemini CLI relaunches itself as a child), then tmux. */
  async close(): Promise<void> {
    const pid = Number((await this.tmux('display-message', '-p', '-t', 'cli', '#{pane_pid}').catch(() => '')).trim());
    if (pid > 0) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await this.tmux('kill-server').catch(() => {});
  }
}
