import { type Env, loadConfig, type StackConfig } from '@enginy/config/load';
import { buildServices, SERVICES, watchServices } from './build-services.ts';
import { type AppSpec, stackApps, type WebServing } from './apps.ts';
import { httpReady, launchGroup, type ProcessGroup, type ProcessSpec } from './process-group.ts';
import type { AppProcess } from './processes.ts';
import { scaleTopology, type Topology } from './topology.ts';
import { builtWeb } from './web-build.ts';

export type AppName = AppSpec['name'];
/** A process of the stack: an app, or in the scale topology a replica (`openapi-2`), `nginx` or `redis`. */
export type ProcessName = AppName | `${'openapi' | 'auth'}-${number}` | 'nginx' | 'redis';

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
  /** The scale topology: this many copies of each service behind nginx (see topology.ts). */
  replicas?: number;
  /** How the web app is served (apps.ts): by default built under `once`, the dev server under `watch`. */
  web?: WebServing;
}

export interface LaunchedStack {
  config: StackConfig;
  apps: AppProcess[];
  /** The replicas, the balancer and the store, when launched with `replicas`. */
  topology?: Topology;
  /** Stops every app (SIGTERM to each process group, SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Last resort, synchronous (for an exit handler): SIGKILL to every app's process group. */
  killNow(): void;
  /** SIGKILL to one process's group, as a crash would; resolves once it has exited. */
  crash(name: ProcessName): Promise<void>;
  /** Starts one (stopped or crashed) process again and resolves once it answers its readiness check. */
  restart(name: ProcessName): Promise<AppProcess>;
}

/** Starts the three apps and resolves once each answers its readiness check; on failure stops them all. */
export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
  const env = { ...options.env, DATABASE_URL: options.databaseUrl };
  const config = loadConfig(env);
  const wanted = (name: AppName) => options.only === undefined || options.only.includes(name);
  // The services run from their bundles: built from the current sources first (~0.5 s) where one
  // changed, and in `watch` mode rebuilt on every change until the stack stops.
  const services = SERVICES.filter(wanted);
  const watcher = options.mode === 'watch' ? await watchServices(services) : undefined;
  if (options.mode === 'once') await buildServices(services, { ifChanged: true });

  const serving = options.web ?? (options.mode === 'watch' ? 'dev' : 'built');
  const builtWebDir = wanted('web') && serving === 'built' ? await builtWeb() : undefined;
  const specs = stackApps(config, options.mode, builtWebDir).filter((spec) => wanted(spec.name));
  let topology: Topology | undefined;
  let stages: ProcessSpec[][] = [specs.map((spec) => ({ ...spec, env, ready: httpReady(spec.readyUrl) }))];
  let group: ProcessGroup;
  try {
    if (options.replicas !== undefined)
      ({ stages, topology } = await scaleTopology(env, config, specs, options.replicas));
    group = await launchGroup(stages, { quiet: options.quiet, readyTimeoutMs: options.readyTimeoutMs ?? 90_000 });
  } catch (error) {
    await watcher?.dispose();
    topology?.dispose();
    throw error;
  }
  return {
    config,
    apps: group.apps,
    ...(topology ? { topology } : {}),
    stop: async () => {
      await group.stop();
      await watcher?.dispose();
      topology?.dispose();
    },
    killNow: group.killNow,
    crash: group.crash,
    restart: group.restart,
  };
}
