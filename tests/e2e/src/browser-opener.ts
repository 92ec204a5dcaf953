// What a real agent CLI runs as `$BROWSER <authorize URL>` (through the shell wrapper that
// `writeBrowserOpener` writes): Chromium signs in as the seeded admin, chooses the workspace and
// approves, and the callback really reaches the CLI's own loopback listener. Each run appends one
// JSON line to $ENGINY_BROWSER_LOG: the URL the CLI opened and how the browser step ended.
import { appendFileSync } from 'node:fs';
import { approveInBrowser } from './browser.ts';
import { ADMIN } from './whoami.ts';

export interface OpenerRecord {
  /** The authorization URL exactly as the CLI opened it. */
  url: string;
  startedAt: number;
  endedAt: number;
  /** The callback URL the browser delivered to the CLI (code and state stripped). */
  callback?: string;
  /** The error page's alert, and all its text, when the server refused to redirect. */
  errorText?: string;
  pageText?: string;
  /** A failure of the browser step itself (page never reached, Chromium crashed). */
  failure?: string;
}

const url = process.argv[2] ?? '';
const log = process.env.ENGINY_BROWSER_LOG ?? '';
const startedAt = Date.now();
const write = (record: Omit<OpenerRecord, 'url' | 'startedAt' | 'endedAt'>) =>
  appendFileSync(log, `${JSON.stringify({ url, startedAt, endedAt: Date.now(), ...record })}\n`);

// Who approves: the seeded admin, or another seeded user (ENGINY_BROWSER_EMAIL, the same password).
// ENGINY_BROWSER_WORKSPACE empty: a user of one workspace, whose consent page has no chooser.
const email = process.env.ENGINY_BROWSER_EMAIL ?? ADMIN.email;
const workspace = process.env.ENGINY_BROWSER_WORKSPACE ?? 'Acme Outreach';

try {
  const step = await approveInBrowser(
    url,
    { email, password: ADMIN.password },
    { workspace: workspace === '' ? undefined : workspace, callback: 'deliver' },
  );
  if (step.callback !== undefined) {
    step.callback.searchParams.delete('code');
    step.callback.searchParams.delete('state');
    write({ callback: step.callback.href });
  } else {
    write({ errorText: step.errorText, pageText: step.pageText });
  }
} catch (error) {
  write({ failure: (error as Error).message.slice(0, 2000) });
  process.exitCode = 1;
}
