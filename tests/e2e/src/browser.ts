// Real Chromium through playwright-core, for the browser step of OAuth flows: sign in, pick a
// workspace, Approve or Deny, and catch the redirect to the client's callback.
import { CHROMIUM_ARGS } from '@enginy/doctor/browser';
import { type Browser, chromium, type Page } from 'playwright-core';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

let shared: Promise<Browser> | undefined;
/**
 * The test process's one Chromium, for every file it runs (vitest.config.ts: one worker, isolate
 * false): launched at the first call, and again after it went away or failed to start. Each test
 * still opens a fresh context (no shared cookies, as a new browser). A launch per file cost about
 * 1 s of CPU. It is never closed by a test: it ends with the process.
 */
export function sharedBrowser(): Promise<Browser> {
  shared ??= launchBrowser().then(
    (launched) => {
      launched.on('disconnected', () => {
        shared = undefined;
      });
      return launched;
    },
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface BrowserStepOptions {
  /** The workspace to choose by name, when the user has several. */
  workspace?: string;
  deny?: boolean;
  /** Reuse a browser (each call still gets a fresh context: no shared cookies). */
  browser?: Browser;
  /** Where the client listens; by default the `redirect_uri` of the authorize URL. */
  redirectUri?: string;
  /** Save screenshots of the sign-in and consent pages under this path prefix. */
  screenshots?: string;
  /**
   * `intercept` (default): the callback is answered here and the client never sees it. `deliver`:
   * the browser really requests it, so a client's own loopback listener receives the code.
   */
  callback?: 'intercept' | 'deliver';
  /** Reads the consent page (its assertions) before Approve or Deny is clicked. */
  onConsent?: (page: Page) => Promise<void>;
}

/** The callback the flow ended on, or the error text the page showed instead of redirecting. */
export type BrowserStepResult =
  | { callback: URL; errorText?: undefined }
  | { callback?: undefined; errorText: string; pageText: string };

/**
 * Opens `authorizeUrl`, signs in with the labelled `Email`/`Password` fields and `Sign in`, then
 * clicks `Approve` (or `Deny`). The client's callback is intercepted, never contacted, unless
 * `callback: 'deliver'`.
 */
export async function approveInBrowser(
  authorizeUrl: string,
  credentials: Credentials,
  options: BrowserStepOptions = {},
): Promise<BrowserStepResult> {
  const browser = options.browser ?? (await launchBrowser());
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const target = options.redirectUri ?? new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '';
    const callbackBase = target === '' ? undefined : new URL(target);
    const seen: { callback?: URL } = {};
    const reached = () => seen.callback;
    const isCallback = (url: URL) =>
      callbackBase !== undefined && url.origin === callbackBase.origin && url.pathname === callbackBase.pathname;
    if (options.callback === 'deliver') {
      // Reached once the client's listener has answered, so the context is not closed before it has.
      page.on('requestfinished', (request) => {
        if (isCallback(new URL(request.url()))) seen.callback = new URL(request.url());
      });
    } else {
      await page.route(isCallback, async (route) => {
        seen.callback = new URL(route.request().url());
        await route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<p>Authorization complete. You can close this window.</p>',
        });
      });
    }
    trace(`goto ${authorizeUrl}`);
    await page.goto(authorizeUrl);
    const settled = await waitForStep(page, reached);
    if (settled !== 'sign-in') return await result(page, seen.callback);
    if (options.screenshots) await page.screenshot({ path: `${options.screenshots}-sign-in.png`, fullPage: true });
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    trace('signed in');

    let step = await waitForStep(page, reached, ['consent', 'error', 'callback']);
    if (options.workspace !== undefined && step !== 'callback') {
      await page.getByLabel('Workspace').selectOption({ label: options.workspace });
      // The page loads that workspace's decision, then shows it with the chooser on it: wait for that,
      // not for network quiet (already reached before the load starts, so it would not wait at all).
      await page.getByRole('option', { name: options.workspace, selected: true }).waitFor({ state: 'attached' });
      step = await waitForStep(page, reached, ['consent', 'error', 'callback']);
    }
    if (options.screenshots && step !== 'callback')
      await page.screenshot({ path: `${options.screenshots}-${step}.png`, fullPage: true });
    if (step !== 'consent') return await result(page, seen.callback);
    await options.onConsent?.(page);
    await page.getByRole('button', { name: options.deny ? 'Deny' : 'Approve' }).click();
    trace(options.deny ? 'denied' : 'approved');
    await waitForStep(page, reached, ['callback', 'error']);
    // `return await`: the context is closed in `finally`, after the page was read.
    return await result(page, seen.callback);
  } finally {
    trace('closing the context');
    // Never let a stuck close hold a test until its timeout: 10 s, then leave it to browser.close().
    await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    if (options.browser === undefined) await browser.close();
  }
}

type Step = 'sign-in' | 'consent' | 'error' | 'callback';

// E2E_DEBUG=1 traces each step of the browser flow on stderr.
const trace = (message: string) => {
  if (process.env.E2E_DEBUG) process.stderr.write(`[browser] ${new Date().toISOString()} ${message}\n`);
};

/** Waits until the page shows one of `steps` (or the callback was reached). */
async function waitForStep(
  page: Page,
  callback: () => URL | undefined,
  steps: Step[] = ['sign-in', 'consent', 'error', 'callback'],
  timeoutMs = 20_000,
): Promise<Step> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (callback() !== undefined && steps.includes('callback')) return 'callback';
    trace(`waiting for ${steps.join('|')} on ${page.url()}`);
    if (steps.includes('sign-in') && (await page.getByRole('button', { name: 'Sign in' }).count()) > 0)
      return 'sign-in';
    if (steps.includes('consent') && (await page.getByRole('button', { name: 'Approve' }).count()) > 0)
      return 'consent';
    if (steps.includes('error') && (await page.getByRole('heading', { name: 'Authorization error' }).count()) > 0)
      return 'error';
    await page.waitForTimeout(100);
  }
  throw new Error(
    `The page never reached ${steps.join(' or ')}: ${page.url()}\n${await page
      .locator('body')
      .textContent()
      .catch(() => '')}`,
  );
}

async function result(page: Page, callback: URL | undefined): Promise<BrowserStepResult> {
  if (callback !== undefined) return { callback };
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the page's line breaks, which the tests read.
  const pageText = await page.locator('body').innerText({ timeout: 5_000 });
  return { errorText: await alertText(page), pageText: pageText.trim() };
}

async function alertText(page: Page): Promise<string> {
  return ((await page.locator('[role="alert"]').first().textContent({ timeout: 5_000 })) ?? '').trim();
}
