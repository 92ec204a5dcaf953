// The import rules of ARCHITECTURE.md ("The rooms": which folder may import which), held by
// dependency-cruiser: `pnpm lint:imports`, run by CI after `pnpm lint`. A rule here is a sentence
// there; change both together.
//
// Workspace packages are imported by name (`@enginy/policy/scopes`) and resolve through pnpm's links
// to their source (`packages/policy/src/scopes.ts`), so the rules speak of folders.

/** Test code, which may import anything a test needs (the rooms' rules are about shipped code). */
const TESTS = '(^|/)(test|tests)/|\\.test\\.tsx?$|(^|/)vitest\\.config\\.ts$';

/** The config modules that are plain constants and tables: no environment, no Node built-ins. */
const CONFIG_CONSTANTS = '^packages/config/src/(defaults|failure-lab|failure-lab-agents|known-clients)\\.ts$';

/** Every folder of ours; a room's rule lists the ones it may reach besides itself. */
const OURS = '^(apps|packages|tools|tests)/';

/** `from` a room's shipped code (tests excepted). */
const room = (path) => ({ path, pathNot: TESTS });

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'The import graph has no cycles, at any depth.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment:
        'Every import resolves; with pnpm that also means every edge is declared in package.json. Fastify ' +
        'declares some types only in declaration files (fastify/types/schema.js): tsc resolves those (pnpm typecheck).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^fastify/types/' },
    },
    {
      name: 'no-undeclared-npm',
      comment: 'An npm package imported is a dependency in the closest package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'shipped-code-no-dev-dependencies',
      comment:
        'Shipped code imports dependencies only: the services run as bundles that leave npm packages outside, ' +
        'so each must be a dependency of the app itself (pnpm deploy --prod installs no devDependencies).',
      severity: 'error',
      from: { path: '^(apps|packages)/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-relative-across-packages',
      comment: 'No `../` across package boundaries: another package is imported by name, through its exports.',
      severity: 'error',
      from: { path: '^(apps|packages|tools|tests)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: OURS, pathNot: '^$1/$2/' },
    },
    {
      name: 'packages-not-to-apps',
      comment: 'Packages never import apps, tools or tests.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(apps|tools|tests)/' },
    },
    {
      name: 'apps-not-to-apps',
      comment: 'Apps never import apps; the web app talks to the services over HTTP only.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'policy-imports-config-constants-only',
      comment: 'packages/policy: pure decisions that run in Node and in the browser; of ours only config constants.',
      severity: 'error',
      from: room('^packages/policy/'),
      to: { path: OURS, pathNot: ['^packages/policy/', CONFIG_CONSTANTS] },
    },
    {
      name: 'policy-no-npm-no-node',
      comment: 'packages/policy imports no npm package and no Node built-in: nothing server-side, no side effects.',
      severity: 'error',
      from: room('^packages/policy/'),
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'contracts-typebox-only',
      comment: 'packages/contracts: API shapes as TypeBox schemas; it imports typebox only.',
      severity: 'error',
      from: room('^packages/contracts/'),
      to: { path: [OURS, 'node_modules/'], pathNot: ['^packages/contracts/', '(^|/)node_modules/typebox/'] },
    },
    {
      name: 'contracts-no-node',
      comment: 'packages/contracts runs in the browser too.',
      severity: 'error',
      from: room('^packages/contracts/'),
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'config-security-import-nothing-of-ours',
      comment: 'packages/config and packages/security import nothing of ours.',
      severity: 'error',
      from: room('^packages/(config|security)/'),
      to: { path: OURS, pathNot: '^packages/$1/' },
    },
    {
      name: 'db-imports-config-security-policy',
      comment: 'packages/db may import config and security, and policy from the seed only.',
      severity: 'error',
      from: room('^packages/db/'),
      to: { path: OURS, pathNot: ['^packages/(db|config|security|policy)/'] },
    },
    {
      name: 'db-policy-from-seed-only',
      comment: 'packages/db is a plain repository with no rules: only its demo seed asks policy.',
      severity: 'error',
      from: { path: '^packages/db/', pathNot: [TESTS, '^packages/db/src/seed/'] },
      to: { path: '^packages/policy/' },
    },
    {
      name: 'service-imports-config-db',
      comment: 'packages/service may import config and db.',
      severity: 'error',
      from: room('^packages/service/'),
      to: { path: OURS, pathNot: '^packages/(service|config|db)/' },
    },
    {
      name: 'testing-imports-config-contracts',
      comment: 'packages/testing may import config and contracts.',
      severity: 'error',
      from: room('^packages/testing/'),
      to: { path: OURS, pathNot: '^packages/(testing|config|contracts)/' },
    },
    {
      name: 'services-import-packages',
      comment: 'apps/auth and apps/openapi import packages (not the test helpers), never each other.',
      severity: 'error',
      from: room('^apps/(auth|openapi)/'),
      to: { path: OURS, pathNot: ['^apps/$1/', '^packages/(config|contracts|db|policy|security|service)/'] },
    },
    {
      name: 'web-imports-policy-contracts-config',
      comment: 'apps/web may import policy, contracts and config; its browser code only config constants.',
      severity: 'error',
      from: room('^apps/web/'),
      to: { path: OURS, pathNot: ['^apps/web/', '^packages/(policy|contracts|config)/'] },
    },
    {
      name: 'web-browser-code-config-constants-only',
      comment: 'The browser bundle takes no environment loader: only config constants (vite.config.ts is its env.ts).',
      severity: 'error',
      from: room('^apps/web/src/'),
      to: { path: '^packages/config/', pathNot: CONFIG_CONSTANTS },
    },
    {
      name: 'web-browser-code-no-node',
      comment: "The web app's browser code imports no Node built-in.",
      severity: 'error',
      from: room('^apps/web/src/'),
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'doctor-imports-policy-config',
      comment: 'apps/doctor may import policy and config.',
      severity: 'error',
      from: room('^apps/doctor/'),
      to: { path: OURS, pathNot: ['^apps/doctor/', '^packages/(policy|config)/'] },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^|/)(dist|\\.data)/' },
    // Type-only imports are edges too: they tie one module to another all the same.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
