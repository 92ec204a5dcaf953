import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph for all files (isolate: false): isolated, each file re-imported Fastify, ajv and
    // the app, about 1.2 s apiece (openapi: 149 s → 59 s on 2 cores). No file mocks a module or writes
    // the environment; a file that must should set `isolate: true` in a project of its own.
    isolate: false,
    globalSetup: ['@enginy/db/testing/global-setup'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
