import { loadConfig } from '@enginy/config/load';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { runtimeConfig } from './server/runtime-config.ts';
import { STATIC_HEADERS, securityHeaders } from './server/security-headers.ts';

// This file is the web app's env.ts: the one place it reads the environment, and only to serve the
// app. A build carries nothing of it (the page reads its stack's URLs at run time,
// server/runtime-config.ts), so one build serves every stack.

/**
 * The browser's address for the services' per-address limits (sign-in backoff): without it every
 * browser arrived as this proxy's one address. Set, never appended, so an X-Forwarded-For the browser
 * sent is dropped: the auth service believes the header from the stack's own proxies only
 * (TRUSTED_PROXIES), and RFC 7239 §8.1 warns it "may be modified ... by every node on the way to the
 * server, including the client making the request". Vite's `xfwd` would append to it instead.
 */
const forwardCallerAddress: NonNullable<ProxyOptions['configure']> = (proxy) => {
  proxy.on('proxyReq', (proxyReq, req) => {
    const address = req.socket.remoteAddress ?? '';
    proxyReq.setHeader('x-forwarded-for', address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''));
  });
};

export default defineConfig(({ command }) => {
  if (command === 'build') return { plugins: [react()] };
  const config = loadConfig(process.env);
  // The browser talks to the services through these same-origin prefixes, so the session cookie
  // stays first-party and no CORS is needed for the console. The same proxy serves `vite` (dev) and
  // `vite preview` (docker compose).
  const proxy: Record<string, ProxyOptions> = {
    '/api/auth': {
      target: config.auth.internalUrl,
      rewrite: (path: string) => path.replace(/^\/api\/auth/, ''),
      configure: forwardCallerAddress,
    },
    '/api/openapi': {
      target: config.openapi.internalUrl,
      rewrite: (path: string) => path.replace(/^\/api\/openapi/, ''),
      configure: forwardCallerAddress,
    },
  };

  // X-Frame-Options, Referrer-Policy and nosniff on every response; the Content-Security-Policy comes
  // from securityHeaders(), with a fresh nonce for each page under `vite`.
  const headers = STATIC_HEADERS;
  return {
    plugins: [react(), securityHeaders(), runtimeConfig({ mcpUrl: config.openapi.mcpUrl })],
    server: { port: config.web.port, strictPort: true, host: config.bindHost, proxy, headers },
    preview: { port: config.web.port, strictPort: true, host: config.bindHost, proxy, headers },
  };
});
