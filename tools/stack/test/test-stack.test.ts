import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

describe('the stack on free ports with an embedded PostgreSQL', () => {
  it('brings every app to ready', async () => {
    for (const url of [
      `${stack.config.openapi.url}/readyz`,
      `${stack.config.auth.issuer}/readyz`,
      stack.config.web.url,
    ]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
    }
  });

  it('serves the web app with both services behind its proxy', async () => {
    const html = await (await fetch(stack.config.web.url)).text();
    expect(html).toContain('<div id="root">');
    const openapi = await fetch(`${stack.config.web.url}/api/openapi/readyz`);
    expect(await openapi.json()).toMatchObject({ service: 'openapi', status: 'ready' });
    const auth = await fetch(`${stack.config.web.url}/api/auth/readyz`);
    expect(await auth.json()).toMatchObject({ service: 'auth', status: 'ready' });
  });
});

describe('the web app, built once for every stack', () => {
  it("serves each stack the same build, and that stack's own MCP URL from /enginy-config.js", async () => {
    const other = await startTestStack({ databaseUrl: stack.databaseUrl, only: ['web'] });
    try {
      expect(other.config.openapi.mcpUrl).not.toBe(stack.config.openapi.mcpUrl);
      const [page, otherPage] = await Promise.all(
        [stack, other].map(async ({ config }) => (await fetch(config.web.url)).text()),
      );
      // The same script and stylesheet names: one build, whose content hashes they are.
      expect(otherPage).toBe(page);
      expect(page).toContain('<script src="/enginy-config.js" ></script>');
      for (const { config } of [stack, other]) {
        const response = await fetch(`${config.web.url}/enginy-config.js`);
        expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await response.text()).toBe(`window.enginy = {"mcpUrl":"${config.openapi.mcpUrl}"};\n`);
      }
    } finally {
      await other.close();
    }
  });
});

describe('a port taken when an app binds it', () => {
  // The app's own last words reach the error, not only "exited": they are read after its output ends.
  it('fails naming the port and its variable (on a pinned port; free ports get new ones once)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const failed = await startTestStack({ env: { AUTH_PORT: String(port) }, only: ['auth'] }).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(failed).toContain('auth exited before it was ready');
      expect(failed).toContain(`Port ${port} (AUTH_PORT) is already in use`);
    } finally {
      blocker.close();
    }
  });
});
