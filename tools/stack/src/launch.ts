import { type Env, loadConfig, type StackConfig } from '@enginy/config/load';
import { buildServices, SERVICES, watchServices } from './build-services.ts';
import { type AppSpec, stackApps } from './apps.ts';
import { type AppProcess, killGroup, startApp, stopApp, waitUntilReady } from './processes.ts';

export type AppName = AppSpec['name'];

export interface LaunchOptions {
  /** The environment the apps get (ports, URLs, settings); DATABASE_URL is set from `databaseUrl`. */
  env: Env;
  databaseUrl: string;
  mode: 'watch' | 'once';
  /** Keep the apps' output to themselves (tests); it is still shown if one fails to start. */
  quiet?: boolean;
  readyTimeoutMs?: number;
  /** The apps to start (default all three); tests that speak HTTP only can leave out the web app. */
  only?: readonly AppName[];
}

export interface LaunchedStack {
  config: StackConfig;
  apps: AppProcess[];
  /** Stops every app (SIGTERM to each process group, SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Last resort, synchronous (for an exit handler): SIGKILL to every app's process group. */
  killNow(): void;
  /** SIGKILL to one app's process group, as a crash would; resolves once it has exited. */
  crash(name: AppName): Promise<void>;
  /** Starts one (stopped or crashed) app again and resolves once it answers its readiness check. */
  restart(name: AppName): Promise<AppProcess>;
}

/** Starts the three apps and resolves once each answers its readiness check; on failure stops them all. */
export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
  const env = { ...options.env, DATABASE_URL: options.databaseUrl };
  const config = loadConfig(env);
  const specs = stackApps(config, options.mode).filter(
    (spec) => options.only === undefined || options.only.includes(spec.name),
  );
  // The services run from their bundles: built from the current sources first (~0.5 s), and in
  // `watch` mode rebuilt on every change until the stack stops.
  const services = SERVICES.filter((service) => specs.some((spec) => spec.name === service));
  const watcher = options.mode === 'watch' ? await watchServices(services) : undefined;
  if (options.mode === 'once') await buildServices(services);
  const launch = (spec: AppSpec) =>
    startApp(spec.name, spec.cwd, spec.command, spec.args, env as NodeJS.ProcessEnv, options.quiet);
  // Replaced in place by restart(), so `apps` always holds the live processes.
  const apps = specs.map(launch);
  const stop = async () => {
    await Promise.all(apps.map((app) => stopApp(app)));
    await watcher?.dispose();
  };

  const timeout = options.readyTimeoutMs ?? 90_000;
  const results = await Promise.allSettled(
    specs.map((spec, index) => waitUntilReady(spec.readyUrl, timeout, (apps[index] as AppProcess).exited)),
  );
  const failures = results.flatMap((result, index) => {
    if (result.status === 'fulfilled') return [];
    const app = apps[index] as AppProcess;
    return [`${app.name} ${(result.reason as Error).message}${options.quiet ? `\n${app.recent.join('\n')}` : ''}`];
  });
  if (failures.length > 0) {
    await stop();
    throw new Error(failures.join('\n'));
  }

  const indexOf = (name: AppName) => {
    const index = specs.findIndex((spec) => spec.name === name);
    if (index < 0) throw new Error(`${name} is not part of this stack`);
    return index;
  };
  return {
    config,
    apps,
    stop,
    killNow: () => {
      for (const app of apps) killGroup(app, 'SIGKILL');
    },
    crash: async (name) => {
      const app = apps[indexOf(name)] as AppProcess;
      killGroup(app, 'SIGKILL');
      await app.exited;
    },
    restart: async (name) => {
      const index = indexOf(name);
      const spec = specs[index] as AppSpec;
      await stopApp(apps[index] as AppProcess);
      const app = launch(spec);
      apps[index] = app;
      try {
        await waitUntilReady(spec.readyUrl, timeout, app.exited);
      } catch (error) {
        throw new Error(`${name} ${(error as Error).message}\n${app.recent.join('\n')}`);
      }
      return app;
    },
  };
}
