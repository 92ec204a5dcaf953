// The browser step: the system browser ($BROWSER, else xdg-open), a printed URL, or real Chromium
// driven by playwright-core that signs in and approves (or denies) in the Enginy web app. Unlike a
// test helper it never intercepts the callback: the browser delivers it to the doctor's listener.
import { spawn } from 'node:child_process';
import { type Browser, chromium, type Page } from 'playwright-core';
import { readBrowserEnv } from './env.ts';

export type BrowserMode = 'system' | 'print' | 'playwright';

export interface PlaywrightLogin {
  email: string;
  password: string;
  workspace?: string;
  deny?: boolean;
}

/** The web app's error page text, when the authorization server refused instead of redirecting. */
export interface BrowserRefusal {
  errorText: string;
  /** The page's details, label → value (e.g. "Workspace policy scopes" → "CONTACTS_READ …"). */
  details: Record<string, string>;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function openSystemBrowser(url: string): void {
  const command = readBrowserEnv().systemBrowser;
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => console.error(`Could not run ${command}; open this URL yourself:\n  ${url}`));
  child.unref();
}

/**
 * Signs in and approves in Chromium. Resolves with the error page's text if the flow stops there, or
 * undefined once `done` reports the listener received the callback. In `running`, a Chromium already
 * started (tests run the doctor many times), it opens a fresh context, so no cookie carries over;
 * otherwise it launches one and closes it after.
 */
export async function approveWithPlaywright(
  startUrl: string,
  login: PlaywrightLogin,
  done: () => boolean,
  timeoutMs = 60_000,
  running?: Browser,
): Promise<BrowserRefusal | undefined> {
  const launched =
    running === undefined
      ? await chromium.launch({ executablePath: readBrowserEnv().chromiumPath, args: CHROMIUM_ARGS })
      : undefined;
  const context = await (running ?? (launched as Browser)).newContext();
  try {
    const page = await context.newPage();
    await page.goto(startUrl);
    const deadline = Date.now() + timeoutMs;
    let signedIn = false;
    let pickedWorkspace = login.workspace === undefined;
    while (Date.now() < deadline) {
      if (done()) return undefined;
      if (!signedIn && (await visible(page, 'Sign in'))) {
        await page.getByLabel('Email').fill(login.email);
        await page.getByLabel('Password').fill(login.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        signedIn = true;
      } else if (!pickedWorkspace && (await page.getByLabel('Workspace').count()) > 0) {
        // The picker shows on the consent page and on a refusal alike: choose before reading either.
        await page.getByLabel('Workspace').selectOption({ label: login.workspace as string });
        // The page then loads that workspace's decision and shows it with the chooser on it. Network
        // quiet is no sign: it was reached before the load started, so waiting for it returns at once.
        await page
          .getByRole('option', { name: login.workspace as string, selected: true })
          .waitFor({ state: 'attached' });
        pickedWorkspace = true;
      } else if ((await page.getByRole('heading', { name: 'Authorization error' }).count()) > 0) {
        return { errorText: await alertText(page), details: await detailsOf(page) };
      } else if (await visible(page, 'Approve')) {
        await page.getByRole('button', { name: login.deny ? 'Deny' : 'Approve' }).click();
        await waitUntil(done, deadline);
        return undefined;
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`The browser step did not finish in ${timeoutMs / 1000} s (last page ${page.url()})`);
  } finally {
    await context.close();
    await launched?.close();
  }
}

async function visible(page: Page, button: string): Promise<boolean> {
  return (await page.getByRole('button', { name: button }).count()) > 0;
}

async function alertText(page: Page): Promise<string> {
  return ((await page.locator('[role="alert"]').first().textContent({ timeout: 5_000 })) ?? '').trim();
}

/** The definition list under the error (the decision's details), as label → value. */
async function detailsOf(page: Page): Promise<Record<string, string>> {
  const pairs = await page
    .locator('dl dt')
    .evaluateAll((terms) =>
      terms.map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? ''] as const),
    );
  return Object.fromEntries(pairs.map(([term, value]) => [term.trim(), value.trim()]));
}

async function waitUntil(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
