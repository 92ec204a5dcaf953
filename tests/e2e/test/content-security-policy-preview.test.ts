// The web app under its Content-Security-Policy on `vite preview` of the built app, as docker
// compose serves it (src/pages-under-policy.ts), in front of a test stack's two services.
import { randomBytes } from 'node:crypto';
import { freePort } from '@enginy/stack/ports';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../src/browser.ts';
import { describePagesUnderPolicy } from '../src/pages-under-policy.ts';
import { startWebPreview, type WebPreview } from '../src/web-preview.ts';

let stack: TestStack;
let preview: WebPreview;
let browser: Browser;

beforeAll(async () => {
  // The ports chosen here, so that the preview's proxies and the services agree on them.
  const env = {
    OPENAPI_PORT: String(await freePort()),
    AUTH_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
  };
  stack = await startTestStack({ env, only: ['openapi', 'auth'] });
  // Built for production as compose builds it; the web app reads no key, but production config wants one.
  const production = { NODE_ENV: 'production', TOKEN_HASH_KEY: randomBytes(32).toString('base64') };
  preview = await startWebPreview(
    { PATH: process.env.PATH, HOME: process.env.HOME, ...production, ...env },
    `${stack.config.web.url}/`,
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await stack?.close();
});

describePagesUnderPolicy('vite preview', () => ({
  browser,
  webUrl: stack.config.web.url,
  issuer: stack.config.auth.issuer,
  mcpUrl: stack.config.openapi.mcpUrl,
}));
