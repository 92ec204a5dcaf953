import { join } from 'node:path';
import type { StackConfig } from '@enginy/config/load';
import { SERVICE_NODE_FLAGS, type Service, serviceBundle } from './build-services.ts';
import { REPO_ROOT } from './processes.ts';

export interface AppSpec {
  name: 'openapi' | 'auth' | 'web';
  cwd: string;
  command: string;
  args: string[];
  /** Set over the stack's environment for this app alone. */
  env?: Record<string, string>;
  readyUrl: string;
}

/** How the web app is served: Vite's dev server, or built and then served by `vite preview`. */
export type WebServing = 'dev' | 'built';

/**
 * The three apps of the stack, each service run from its bundle (see build-services.ts). `watch`
 * (pnpm dev) restarts a service when its bundle is rebuilt from changed sources, with source maps for
 * readable stack traces; `once` runs it as docker compose does (tests, benchmarks). The web app is
 * Vite's dev server, or, given `builtWebDir`, built into it and then served by `vite preview`, as
 * docker compose does (launch.ts: under `once`, unless told otherwise).
 */
export function stackApps(config: StackConfig, mode: 'watch' | 'once', builtWebDir?: string): AppSpec[] {
  const bin = (app: string, tool: string) => join(REPO_ROOT, 'apps', app, 'node_modules', '.bin', tool);
  const vite = bin('web', 'vite');
  const service = (name: Service) =>
    mode === 'watch'
      ? {
          command: process.execPath,
          args: ['--watch', '--watch-preserve-output', '--enable-source-maps', serviceBundle(name)],
        }
      : { command: process.execPath, args: [...SERVICE_NODE_FLAGS, serviceBundle(name)] };
  return [
    {
      name: 'openapi',
      cwd: join(REPO_ROOT, 'apps/openapi'),
      ...service('openapi'),
      readyUrl: `http://localhost:${config.openapi.port}/readyz`,
    },
    {
      name: 'auth',
      cwd: join(REPO_ROOT, 'apps/auth'),
      ...service('auth'),
      readyUrl: `http://localhost:${config.auth.port}/readyz`,
    },
    {
      name: 'web',
      cwd: join(REPO_ROOT, 'apps/web'),
      ...(builtWebDir === undefined
        ? { command: vite, args: ['--configLoader', 'runner'] }
        : {
            // Built for this stack's URLs, then served (the process group stops both). A production
            // build, as compose makes: under the tests' NODE_ENV=test, Vite bundles React's development
            // build, which costs the browser about twice the CPU per page. The web app reads no key,
            // but production config wants one: the services' own.
            env: { NODE_ENV: 'production', TOKEN_HASH_KEY: config.tokenHashKey },
            command: 'sh',
            args: [
              '-c',
              '"$0" build --configLoader runner --outDir "$1" --emptyOutDir --logLevel warn && exec "$0" preview --configLoader runner --outDir "$1"',
              vite,
              builtWebDir,
            ],
          }),
      readyUrl: `http://localhost:${config.web.port}/`,
    },
  ];
}
