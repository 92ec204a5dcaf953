// The web app under its strict Content-Security-Policy, in Chromium against a real stack: the
// sign-in, consent and every console page work with no violation reported to the page and no
// console error, every document sends the policy and every response `nosniff`, and an injected
// inline script is refused. One scenario for each server the web app runs on: Vite's dev server
// (`pnpm dev`) and `vite preview` of the built app (docker compose, and the test stack).
import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI as CALLBACK } from '@enginy/config/defaults';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from './stack-fixture.ts';
import { eventually } from './console-page.ts';
import { directives, type PageWatch, watchPages } from './page-watch.ts';

export interface PolicyTarget {
  browser: Browser;
  webUrl: string;
  issuer: string;
  mcpUrl: string;
}

/** The scenario's tests, on the web app `target()` names once its beforeAll hooks have run. */
export function describePagesUnderPolicy(server: 'vite' | 'vite preview', target: () => PolicyTarget): void {
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let web: string;
  /** The documents loaded, by path: the sign-in and consent pages, then each console page. */
  const documents = new Map<string, Response>();

  beforeAll(async () => {
    web = target().webUrl;
    context = await target().browser.newContext();
    watch = await watchPages(context, new URL(web).origin);
    page = await context.newPage();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.url().startsWith(web))
        documents.set(new URL(response.url()).pathname, response);
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  /** The console's pages as its own left nav lists them: a page added to the app is covered here too. */
  async function consolePages(): Promise<string[]> {
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.waitFor();
    const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    return hrefs.filter((href): href is string => href?.startsWith('/console/') ?? false);
  }

  /** Loaded, and showing what it loaded: its heading, and no "Loading …" or error left once the data came. */
  async function expectLoaded(path: string) {
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await eventually(() =>
      page
        .getByRole('status')
        .filter({ hasText: /^Loading / })
        .count(),
    ).toBe(0);
    expect(await page.getByRole('alert').allTextContents(), path).toEqual([]);
  }

  async function registerClient(): Promise<string> {
    const response = await fetch(`${target().issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'CSP client',
        redirect_uris: [CALLBACK],
        token_endpoint_auth_method: 'none',
      }),
    });
    return ((await response.json()) as { client_id: string }).client_id;
  }

  describe(`the web app under its Content-Security-Policy (${server})`, () => {
    it('signs in and approves on the consent page with no violation', async () => {
      const authorize = new URL(`${target().issuer}/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: await registerClient(),
        redirect_uri: CALLBACK,
        code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
        code_challenge_method: 'S256',
        state: 'csp',
        resource: target().mcpUrl,
      }).toString();
      let callback: URL | undefined;
      await page.route(
        (url) => url.href.startsWith(CALLBACK),
        async (route) => {
          callback = new URL(route.request().url());
          await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>done</p>' });
        },
      );
      // The home page, and the console signed out: its sign-in form.
      await page.goto(`${web}/`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.goto(`${web}/console/connect`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.goto(authorize.href);
      // The consent page, signed out: its sign-in form first.
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForURL((url) => url.href.startsWith(CALLBACK));
      expect(callback?.searchParams.get('code')).toMatch(/^eac_/);
      expect(callback?.searchParams.get('state')).toBe('csp');
      expect([...documents.keys()]).toEqual(['/', '/console/connect', '/consent']);
      expect(watch.violations).toEqual([]);
      expect(watch.errors).toEqual([]);
    });

    it('loads every console page of the nav, with its data, with no violation', async () => {
      await page.goto(`${web}/console/connect`);
      const paths = await consolePages();
      expect(paths.length).toBeGreaterThanOrEqual(7);
      for (const path of paths) {
        // A full load of each page (its document, its policy), then the page as the nav opens it.
        await page.goto(`${web}${path}`);
        await expectLoaded(path);
        await page.getByRole('navigation', { name: 'Console' }).getByRole('link').first().click();
        await page.goBack();
        await expectLoaded(path);
      }
      expect(paths.filter((path) => !documents.has(path))).toEqual([]);
      expect(watch.violations).toEqual([]);
      expect(watch.errors).toEqual([]);
      // The dev client's own connection (HMR over a WebSocket) is allowed too; the built app has none.
      if (server === 'vite') expect(watch.logs).toContain('[vite] connected.');
      else expect(watch.logs).not.toContain('[vite] connected.');
    });

    it('sends a strict policy and nosniff with every page, and nosniff with everything they load', () => {
      expect(documents.size).toBeGreaterThanOrEqual(8);
      for (const [path, response] of documents) {
        const headers = response.headers();
        const policy = directives(headers['content-security-policy']);
        expect(policy.get('default-src'), path).toEqual(["'self'"]);
        // Scripts from the app's own origin, and an inline one only with this response's nonce: never 'unsafe-inline'.
        for (const directive of ['script-src', 'style-src'])
          for (const source of policy.get(directive) ?? ['(none)'])
            expect(source, `${path} ${directive}`).toMatch(/^('self'|'nonce-[A-Za-z0-9+/_-]{22,}={0,2}')$/);
        expect(policy.get('object-src'), path).toEqual(["'none'"]);
        expect(policy.get('base-uri'), path).toEqual(["'none'"]);
        expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
        expect(headers['x-frame-options'], path).toBe('DENY');
      }
      const sniffable = watch.responses.filter(
        (response) => response.headers()['x-content-type-options'] !== 'nosniff',
      );
      expect(sniffable.map((response) => response.url())).toEqual([]);
      expect(watch.responses.length).toBeGreaterThan(documents.size);
    });

    it('refuses an inline script the page did not ship, and reports it', async () => {
      await page.goto(`${web}/console/connect`);
      await page.getByRole('navigation', { name: 'Console' }).waitFor();
      const ran = await page.evaluate(`(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return window.__injected === true;
      })()`);
      expect(ran).toBe(false);
      await eventually(() => watch.violations.filter((text) => /^script-src/.test(text))).toHaveLength(1);
      watch.errors.length = 0; // Chromium logs the refusal too.
    });
  });
}
