// The web app under its Content-Security-Policy on Vite's dev server, as `pnpm dev` runs it
// (src/pages-under-policy.ts); the other files' stacks serve the built app.
import { describePagesUnderPolicy } from '../src/pages-under-policy.ts';
import { useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser({}, 'dev');

describePagesUnderPolicy('vite', () => ({
  browser: e2e.browser,
  webUrl: e2e.stack.config.web.url,
  issuer: e2e.stack.config.auth.issuer,
  mcpUrl: e2e.stack.config.openapi.mcpUrl,
}));
