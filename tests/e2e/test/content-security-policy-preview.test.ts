// The web app under its Content-Security-Policy on `vite preview` of the built app, as docker compose
// and the test stack serve it (src/pages-under-policy.ts).
import { describePagesUnderPolicy } from '../src/pages-under-policy.ts';
import { useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();

describePagesUnderPolicy('vite preview', () => ({
  browser: e2e.browser,
  webUrl: e2e.stack.config.web.url,
  issuer: e2e.stack.config.auth.issuer,
  mcpUrl: e2e.stack.config.openapi.mcpUrl,
}));
