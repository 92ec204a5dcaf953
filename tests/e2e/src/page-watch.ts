// What a browser context saw while the web app ran in it: each Content-Security-Policy violation
// reported to a page (its `securitypolicyviolation` event, CSP3 §5.3), each console error and page
// error, and each response of the web server, with its headers.
import type { BrowserContext, Response } from 'playwright-core';

export interface PageWatch {
  violations: string[];
  errors: string[];
  /** Every response of `webOrigin` itself (its /api proxies aside): the document and what it loaded. */
  responses: Response[];
  /** Console messages of any level, for a line the dev client logs (`[vite] connected.`). */
  logs: string[];
}

export async function watchPages(context: BrowserContext, webOrigin: string): Promise<PageWatch> {
  const watch: PageWatch = { violations: [], errors: [], responses: [], logs: [] };
  await context.exposeBinding('__reportViolation', (_source, text: string) => {
    watch.violations.push(text);
  });
  // Before any script of the page, so a violation during its very first load is heard too. (A
  // string: this package is typed for Node, without the DOM.)
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    void window.__reportViolation(event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') +
      ' at ' + event.sourceFile + ':' + event.lineNumber + ' on ' + location.pathname);
  }, true);`);
  context.on('page', (page) => {
    page.on('console', (message) => {
      watch.logs.push(message.text());
      if (message.type() !== 'error') return;
      const text = `${message.text()} ${message.location().url}`;
      // A signed-out page checks the session first: its 401 is how it learns to show the sign-in form.
      if (/status of 401/.test(text) && text.endsWith('/api/auth/session')) return;
      watch.errors.push(text);
    });
    page.on('pageerror', (error) => watch.errors.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === webOrigin && !url.pathname.startsWith('/api/')) watch.responses.push(response);
    });
  });
  return watch;
}

/** A Content-Security-Policy header as its directives: name → source list (CSP3 §2.2 "Policies"). */
export function directives(policy: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const directive of (policy ?? '').split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}
