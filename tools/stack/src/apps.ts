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

/**
 * The three apps of the stack, each service run from its bundle (see build-services.ts). `watch`
 * (pnpm dev) restarts a service when its bundle is rebuilt from changed sources, with source maps for
 * readable stack traces; `once` runs it as docker compose does (tests, benchmarks). The web app is
 * Vite's dev server in both.
 */
export function stackApps(config: StackConfig, mode: 'watch' | 'once'): AppSpec[] {
  const bin = (app: string, tool: string) => join(REPO_ROOT, 'apps', app, 'node_modules', '.bin', tool);
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
      command: bin('web', 'vite'),
      args: ['--configLoader', 'runner'],
      readyUrl: `http://localhost:${config.web.port}/`,
    },
  ];
}
