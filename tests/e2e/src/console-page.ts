// The console in Chromium: a signed-in page per test, every console error and page error collected
// (each test asserts there were none it did not expect), and screenshots into screenshots/ at the root.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Credentials } from './browser.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../../screenshots/', import.meta.url));

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close: () => Promise<void>;
}

/**
 * A fresh context (no cookies) on `path` of the web app, signed in through the console's own form.
 * `expected` lists console errors a test provokes on purpose (e.g. a 422 it wants shown inline).
 */
export async function openConsole(
  browser: Browser,
  webUrl: string,
  path: string,
  who: Credentials | undefined,
  expected: RegExp[] = [],
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: webUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} ${message.location().url}`;
    // The signed-out session check answers 401 before the sign-in form shows: expected, not an error.
    if (/status of 401/.test(text) && text.endsWith('/api/auth/session')) return;
    if (expected.some((pattern) => pattern.test(text))) return;
    errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // Revocations and deletions ask for confirmation.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${webUrl}${path}`);
  if (who !== undefined) {
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
  }
  return { page, context, errors, close: () => context.close() };
}

/** Opens a console page through the left nav (a real link click, not a reload). */
export async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** screenshots/<prefix>-<name>.png: `console-…` for console pages, e.g. `consent-…` for the others. */
export async function screenshot(page: Page, name: string, prefix = 'console'): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${prefix}-${name}.png`, fullPage: true });
}

export function expectNoErrors(c: ConsolePage): void {
  expect(c.errors).toEqual([]);
}

/** expect.poll with room for a slow machine: the pages refresh every 2–3 s, so 1 s (the default) is too short. */
export function eventually<T>(read: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(read, { timeout, interval: 100 });
}
