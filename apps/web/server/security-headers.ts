import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './content-security-policy.ts';

/** The headers every response of the web app carries, under `vite` and `vite preview` alike. */
export const STATIC_HEADERS = {
  // Pages are never framed (clickjacking on the consent page): both the old header and CSP.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // Fetch §"X-Content-Type-Options": a script or stylesheet is run only when its Content-Type says so.
  'X-Content-Type-Options': 'nosniff',
};

// The dev server's nonce of the request being answered, for the page transform further down the
// same request (Vite's transformIndexHtml hook is not handed the request).
const requestNonce = new AsyncLocalStorage<string>();

/**
 * The Content-Security-Policy header on every response. Under `vite`, each request gets a fresh
 * nonce (CSP3, nonce-source: "the server MUST generate a unique value each time it transmits a
 * policy"), 144 bits of it: the page's own inline
 * script and Vite's client carry it, and a page is never answered 304 with an earlier one, since the
 * page's ETag is computed over its text, nonce included.
 */
export function securityHeaders(): Plugin {
  return {
    name: 'enginy:security-headers',
    configureServer(server) {
      // Registered here, not in a returned hook: it runs before Vite's own middlewares.
      server.middlewares.use((_request, response, next) => {
        const nonce = randomBytes(18).toString('base64');
        response.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
        requestNonce.run(nonce, next);
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((_request, response, next) => {
        response.setHeader('Content-Security-Policy', contentSecurityPolicy());
        next();
      });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const nonce = requestNonce.getStore();
        if (context.server === undefined || nonce === undefined) return html;
        // The page is index.html plus the tags plugins inject, none of which holds the text "<script"
        // or "<style" in its content: each such text opens a tag.
        return {
          html: html.replace(/<(script|style)\b/g, `<$1 nonce="${nonce}"`),
          tags: [{ tag: 'meta', attrs: { property: 'csp-nonce', nonce }, injectTo: 'head' }],
        };
      },
    },
  };
}
