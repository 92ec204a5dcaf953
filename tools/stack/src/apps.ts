import { join } from 'node:path';
import type { StackConfig } from '@enginy/config/load';
import { REPO_ROOT } from './processes.ts';

export interface AppSpec {
  name: 'openapi' | 'auth' | 'web';
  cwd: string;
  command: string;
  args: string[];
  readyUrl: string;
}

/**
 * The three apps of the stack. `watch` restarts a service when its code changes (pnpm dev); `once`
 * runs it plainly (tests). The web app is Vite's dev server in both.
 */
export function stackApps(config: StackConfig, mode: 'watch' | 'once'): AppSpec[] {
  const bin = (app: string, tool: string) => join(REPO_ROOT, 'apps', app, 'node_modules', '.bin', tool);
  const tsxArgs = mode === 'watch' ? ['watch', '--clear-screen=false', 'src/server.ts'] : ['src/server.ts'];
  return [
    { name: 'openapi', cwd: join(REPO_ROOT, 'apps/openapi'), command: bin('openapi', 'tsx'), args: tsxArgs, readyUrl: `http://localhost:${config.openapi.port}/readyz` },
    { name: 'auth', cwd: join(REPO_ROOT, 'apps/auth'), command: bin('auth', 'tsx'), args: tsxArgs, readyUrl: `http://localhost:${config.auth.port}/readyz` },
    {
      name: 'web',
      cwd: join(REPO_ROOT, 'apps/web'),
      command: bin('web', 'vite'),
      args: ['--configLoader', 'runner'],
      readyUrl: `http://localhost:${config.web.port}/`,
    },
  ];
}
