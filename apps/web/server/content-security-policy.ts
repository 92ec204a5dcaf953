// The web app's Content-Security-Policy (CSP Level 3, https://www.w3.org/TR/CSP3/): only what the
// sign-in, consent and console pages load, so that a script injected into a page does not run.

/**
 * The policy of one response. `nonce` is the dev server's, fresh for each page: the built app (vite
 * preview, compose) has no inline script or style, and needs none.
 */
export function contentSecurityPolicy(nonce?: string): string {
  const ownOrNonce = nonce === undefined ? "'self'" : `'self' 'nonce-${nonce}'`;
  return [
    // CSP3 §6.1.3: default-src "serves as a fallback for the other fetch directives".
    "default-src 'self'",
    // Same-origin modules only. Under `vite` (dev) one inline module more, React Fast Refresh's
    // preamble, let in by the nonce it carries: never 'unsafe-inline', which would let in any.
    `script-src ${ownOrNonce}`,
    // Built: one linked stylesheet. Dev: Vite's client adds each imported stylesheet as a <style>,
    // with the nonce it reads from <meta property="csp-nonce">. No page uses a style attribute.
    `style-src ${ownOrNonce}`,
    // The favicon is a data: URL (index.html).
    "img-src 'self' data:",
    // The services through the same-origin /api proxies. Dev's HMR WebSocket is on the page's own host
    // and port, which 'self' matches (CSP3 §6.7.2.8: 'self' matches "ws" when the page is "http").
    "connect-src 'self'",
    "object-src 'none'",
    // No page has a <base>; none may add one to send its relative URLs elsewhere.
    "base-uri 'none'",
    // Every form is handled by script (fetch); none posts anywhere.
    "form-action 'self'",
    // Pages are never framed (clickjacking on the consent page), as X-Frame-Options says too.
    "frame-ancestors 'none'",
  ].join('; ');
}
