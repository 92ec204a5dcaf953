import { loadConfig } from '@enginy/config/load';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// This file is the web app's env.ts: the one place it reads the environment.
const config = loadConfig(process.env);

// The browser talks to the services through these same-origin prefixes, so the session cookie
// stays first-party and no CORS is needed for the console.
const proxy = {
  '/api/auth': { target: config.auth.internalUrl, rewrite: (path: string) => path.replace(/^\/api\/auth/, '') },
  '/api/openapi': { target: config.openapi.internalUrl, rewrite: (path: string) => path.replace(/^\/api\/openapi/, '') },
};

// Pages are never framed (clickjacking on the consent page): both the old header and CSP.
const headers = { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'", 'Referrer-Policy': 'no-referrer' };

export default defineConfig({
  plugins: [react()],
  server: { port: config.web.port, strictPort: true, host: config.bindHost, proxy, headers },
  preview: { port: config.web.port, strictPort: true, host: config.bindHost, proxy, headers },
  define: {
    __ENGINY_MCP_URL__: JSON.stringify(config.openapi.mcpUrl),
  },
});
