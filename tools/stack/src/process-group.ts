import { type AppProcess, killGroup, lastWords, startApp, stopApp, waitUntilReady } from './processes.ts';

/** One process of a stack: an app, a replica of one, the load balancer or the rate-limit store. */
export interface ProcessSpec {
  name: string;
  cwd: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Resolves once it serves; rejects past `timeoutMs` or once `died` settles. */
  ready: (timeoutMs: number, died: Promise<unknown>) => Promise<void>;
}

/** An HTTP readiness check: `url` answers 2xx. */
export const httpReady =
  (url: string): ProcessSpec['ready'] =>
  (timeoutMs, died) =>
    waitUntilReady(url, timeoutMs, died);

export interface ProcessGroup {
  /** The live processes (restart() replaces one in place). */
  apps: AppProcess[];
  /** Stops every process (SIGTERM to each process group, SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Last resort, synchronous (for an exit handler): SIGKILL to every process group. */
  killNow(): void;
  /** SIGKILL to one process's group, as a crash would; resolves once it has exited. */
  crash(name: string): Promise<void>;
  /** Starts one (stopped or crashed) process again and resolves once it is ready. */
  restart(name: string): Promise<AppProcess>;
}

export interface GroupOptions {
  quiet?: boolean;
  readyTimeoutMs: number;
}

/**
 * Starts `stages` one after the other, each stage's processes together, and resolves once all are
 * ready (a later stage may need an earlier one: the replicas their store). On failure stops them all.
 */
export async function launchGroup(stages: readonly ProcessSpec[][], options: GroupOptions): Promise<ProcessGroup> {
  const specs: ProcessSpec[] = [];
  const apps: AppProcess[] = [];
  const width = Math.max(7, ...stages.flat().map((spec) => spec.name.length));
  const launch = (spec: ProcessSpec) =>
    startApp(spec.name, spec.cwd, spec.command, spec.args, spec.env, options.quiet, width);
  // Stopped in reverse: the balancer before the replicas behind it, the store last.
  const stop = async () => {
    for (let i = stages.length - 1; i >= 0; i--) {
      const names = new Set((stages[i] ?? []).map((spec) => spec.name));
      await Promise.all(apps.filter((app) => names.has(app.name)).map((app) => stopApp(app)));
    }
  };

  for (const stage of stages) {
    const started = stage.map(launch);
    specs.push(...stage);
    apps.push(...started);
    const results = await Promise.allSettled(
      stage.map((spec, index) => spec.ready(options.readyTimeoutMs, (started[index] as AppProcess).exited)),
    );
    const failures = await Promise.all(
      results.flatMap((result, index) => {
        if (result.status === 'fulfilled') return [];
        const app = started[index] as AppProcess;
        const said = async () => (options.quiet ? `\n${(await lastWords(app)).join('\n')}` : '');
        return [said().then((words) => `${app.name} ${(result.reason as Error).message}${words}`)];
      }),
    );
    if (failures.length > 0) {
      await stop();
      throw new Error(failures.join('\n'));
    }
  }

  const indexOf = (name: string) => {
    const index = specs.findIndex((spec) => spec.name === name);
    if (index < 0) throw new Error(`${name} is not part of this stack`);
    return index;
  };
  return {
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
      const spec = specs[index] as ProcessSpec;
      await stopApp(apps[index] as AppProcess);
      const app = launch(spec);
      apps[index] = app;
      try {
        await spec.ready(options.readyTimeoutMs, app.exited);
      } catch (error) {
        throw new Error(`${name} ${(error as Error).message}\n${(await lastWords(app)).join('\n')}`);
      }
      return app;
    },
  };
}
