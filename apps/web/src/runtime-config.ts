// What the server that served this page says about its stack: /enginy-config.js, which index.html
// loads before the app (server/runtime-config.ts writes it from the server's environment).

declare global {
  interface Window {
    enginy?: { mcpUrl: string };
  }
}

/** The MCP URL of the stack's OpenAPI service, as a client adds it. */
export function mcpUrl(): string {
  const url = window.enginy?.mcpUrl;
  if (url === undefined)
    throw new Error('The page was served without /enginy-config.js: serve it with vite or vite preview');
  return url;
}
