import { defineConfig } from 'vitest/config';

// The web app's tests, without vite.config.ts: that one builds the app and proxies the services, and
// loads the stack's config, which these tests do not need. Two projects: the pure helpers of the
// pages (`*.test.ts`, in Node) and the pages themselves (`*.test.tsx`, rendered by Testing Library in
// happy-dom, with the network stood in for at `fetch`). Each project keeps one module graph and one
// document for all its files (isolate: false; see apps/openapi/vitest.config.ts): setup-dom.ts empties
// the document and restores every stub after each test (37 s → 10 s on 2 cores).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], environment: 'node', isolate: false } },
      {
        test: {
          name: 'dom',
          include: ['test/**/*.test.tsx'],
          environment: 'happy-dom',
          isolate: false,
          setupFiles: ['test/support/setup-dom.ts'],
        },
      },
    ],
  },
});
