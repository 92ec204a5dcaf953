import { defineCommand, refuse } from '@enginy/config/cli-args';
import { MAX_REPLICAS } from './topology.ts';

export const DEV_COMMAND = defineCommand({
  usage: `Usage: pnpm dev [--replicas N]

PostgreSQL (embedded unless DATABASE_URL), migrations, the demo seed, the three apps in watch mode,
a readiness wait and one banner; Ctrl-C stops all of it.

  --replicas N   N copies (1–${MAX_REPLICAS}) of the OpenAPI and auth services behind nginx, sharing
                 one PostgreSQL (and, from 2, a redis-server for the rate limits)
`,
  options: { replicas: { type: 'string' } },
});

/** `--replicas N`: the scale topology; undefined for the usual one copy of each app. */
export function replicasOrRefuse(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_REPLICAS)
    refuse(DEV_COMMAND, `--replicas must be a whole number from 1 to ${MAX_REPLICAS} (got "${value}")`);
  return Number(value);
}
