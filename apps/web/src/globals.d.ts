/** The MCP URL of the OpenAPI service, fixed at build time from the stack's config. */
declare const __ENGINY_MCP_URL__: string;
