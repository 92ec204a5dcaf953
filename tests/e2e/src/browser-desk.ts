// What a real agent CLI opens as `$BROWSER <authorize URL>`. The scratch's script only appends the
// URL, with who is to approve, to a file; this process serves each new line in Chromium: signs in as
// the seeded admin (or ENGINY_BROWSER_EMAIL), chooses the workspace, approves, and Chromium itself
// requests the callback from the CLI's own loopback listener, as a person's browser would. Each run
// appends one JSON line to the scratch's browser log: the URL the CLI opened and how the browser step
// ended.
//
// The test process's one Chromium (sharedBrowser) serves every scratch, each run in a fresh context
// (no shared cookies, as a new browser). A process per run, loading TypeScript and launching its own
// Chromium, cost about 3.5 s of CPU per sign-in, and the agent tests sign in about a hundred times.
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { approveInBrowser, sharedBrowser } from './browser.ts';
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

/** The lines of `file` that were written whole (the last element is what follows the last newline). */
function wholeLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1) : [];
}

/** Every URL the CLI opened with the script `serveBrowserOpens(dir, …)` wrote: served, or still being served. */
export function openedUrls(dir: string): string[] {
  return wholeLines(join(dir, 'opened.tsv')).map((line) => line.split('\t')[0] ?? '');
}

/**
 * Writes `dir/browser.sh`, the script to give a CLI as $BROWSER, and serves what it opens until the
 * returned function is called. Each run's record is appended to `log`.
 */
export function serveBrowserOpens(dir: string, log: string): { opener: string; stop: () => void } {
  const opened = join(dir, 'opened.tsv');
  const opener = join(dir, 'browser.sh');
  // Returns at once, as a desktop browser launcher does. Who approves is read from the CLI's own
  // environment: the seeded admin in the seeded workspace unless the test says otherwise
  // (ENGINY_BROWSER_WORKSPACE empty: a user of one workspace, whose consent page has no chooser).
  writeFileSync(
    opener,
    `#!/bin/sh\nprintf '%s\\t%s\\t%s\\n' "$1" "\${ENGINY_BROWSER_EMAIL-${ADMIN.email}}" "\${ENGINY_BROWSER_WORKSPACE-Acme Outreach}" >> '${opened}'\n`,
  );
  chmodSync(opener, 0o755);
  let served = 0;
  const timer = setInterval(() => {
    const lines = wholeLines(opened);
    for (const line of lines.slice(served)) void serve(line, log);
    served = lines.length;
  }, 100);
  timer.unref();
  return { opener, stop: () => clearInterval(timer) };
}

async function serve(line: string, log: string): Promise<void> {
  const [url = '', email = ADMIN.email, workspace = ''] = line.split('\t');
  const startedAt = Date.now();
  const write = (record: Omit<OpenerRecord, 'url' | 'startedAt' | 'endedAt'>) => {
    // A run that outlived its scratch (the file's tests ended first) has nowhere to write.
    if (existsSync(dirname(log)))
      appendFileSync(log, `${JSON.stringify({ url, startedAt, endedAt: Date.now(), ...record })}\n`);
  };
  try {
    const step = await approveInBrowser(
      url,
      { email, password: ADMIN.password },
      { browser: await sharedBrowser(), workspace: workspace === '' ? undefined : workspace, callback: 'deliver' },
    );
    if (step.callback === undefined) {
      write({ errorText: step.errorText, pageText: step.pageText });
      return;
    }
    step.callback.searchParams.delete('code');
    step.callback.searchParams.delete('state');
    write({ callback: step.callback.href });
  } catch (error) {
    write({ failure: (error as Error).message.slice(0, 2000) });
  }
}
