import { type Env, loadConfig, type StackConfig } from '@enginy/config/load';
import { stackApps } from './apps.ts';
import { type AppProcess, killGroup, startApp, stopApp, waitUntilReady } from './processes.ts';

export interface LaunchOptions {
  /** The environment the apps get (ports, URLs, settings); DATABASE_URL is set from `databaseUrl`. */
  env: Env;
  databaseUrl: string;
  mode: 'watch' | 'once';
  /** Keep the apps' output to themselves (tests); it is still shown if one fails to start. */
  quiet?: boolean;
  readyTimeoutMs?: number;
}

export interface LaunchedStack {
  config: StackConfig;
  apps: AppProcess[];
  /** Stops every app (SIGTERM to each process group, SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Last resort, synchronous (for an exit handler): SIGKILL to every app's process group. */
  killNow(): void;
}

/** Starts the three apps and resolves once each answers its readiness check; on failure stops them all. */
export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
  const env = { ...options.env, DATABASE_URL: options.databaseUrl };
  const config = loadConfig(env);
  const specs = stackApps(config, options.mode);
  const apps = specs.map((spec) => startApp(spec.name, spec.cwd, spec.command, spec.args, env as NodeJS.ProcessEnv, options.quiet));
  const stop = async () => {
    await Promise.all(apps.map((app) => stopApp(app)));
  };

  const timeout = options.readyTimeoutMs ?? 90_000;
  const results = await Promise.allSettled(specs.map((spec, index) => waitUntilReady(spec.readyUrl, timeout, (apps[index] as AppProcess).exited)));
  const failures = results.flatMap((result, index) => {
    if (result.status === 'fulfilled') return [];
    const app = apps[index] as AppProcess;
    return [`${app.name} ${(result.reason as Error).message}${options.quiet ? `\n${app.recent.join('\n')}` : ''}`];
  });
  if (failures.length > 0) {
    await stop();
    throw new Error(failures.join('\n'));
  }
  return {
    config,
    apps,
    stop,
    killNow: () => {
      for (const app of apps) killGroup(app, 'SIGKILL');
    },
  };
}
