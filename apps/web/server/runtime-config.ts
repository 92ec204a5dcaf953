import type { Connect, Plugin } from 'vite';
import { STATIC_HEADERS } from './security-headers.ts';

/** The script that hands the page what it must know of the stack serving it (index.html loads it first). */
export const RUNTIME_CONFIG_PATH = '/enginy-config.js';

/** What the page reads from it (src/runtime-config.ts). */
export interface RuntimeConfig {
  /** The MCP endpoint of this stack's OpenAPI service: what a client adds. */
  mcpUrl: string;
}

/**
 * Serves RUNTIME_CONFIG_PATH under `vite` and `vite preview` alike, from the environment of the
 * server that serves the page. The built app then carries nothing of one stack: the same build
 * serves every stack (the tests' stacks share one, tools/stack/src/web-build.ts), and compose's page
 * shows the URLs of its own environment.
 */
export function runtimeConfig(config: RuntimeConfig): Plugin {
  const script = `window.enginy = ${JSON.stringify(config)};\n`;
  const serve: Connect.NextHandleFunction = (request, response, next) => {
    if (request.url?.split('?')[0] !== RUNTIME_CONFIG_PATH) return next();
    // Answered before Vite's own middlewares, which set the server's `headers` option: set here.
    for (const [name, value] of Object.entries(STATIC_HEADERS)) response.setHeader(name, value);
    response.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    // Another stack may serve a page from the same origin later (a port reused): never cached.
    response.setHeader('Cache-Control', 'no-store');
    response.end(script);
  };
  return {
    name: 'enginy:runtime-config',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
