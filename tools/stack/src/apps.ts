import { join } from 'node:path';
import type { StackConfig } from '@enginy/config/load';
import { SERVICE_NODE_FLAGS, type Service, serviceBundle } from './build-services.ts';
import { REPO_ROOT } from './processes.ts';

export interface AppSpec {
  name: 'openapi' | 'auth' | 'web';
  cwd: string;
  command: string;
  args: string[];
  readyUrl: string;
}

/** How the web app is served: Vite's dev server, or built and then served by `vite preview`. */
export type WebServing = 'dev' | 'built';

/**
 * The three apps of the stack, each service run from its bundle (see build-services.ts). `watch`
 * (pnpm dev) restarts a service when its bundle is rebuilt from changed sources, with source maps for
 * readable stack traces; `once` runs it as docker compose does (tests, benchmarks). The web app is
 * Vite's dev server, or, given `builtWebDir` (a production build, web-build.ts), that build served by
 * `vite preview`, as docker compose does (launch.ts: under `once`, unless told otherwise).
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
        : // The shared build (web-build.ts), served with this stack's URLs and proxies.
          { command: vite, args: ['preview', '--configLoader', 'runner', '--outDir', builtWebDir] }),
      readyUrl: `http://localhost:${config.web.port}/`,
    },
  ];
}
