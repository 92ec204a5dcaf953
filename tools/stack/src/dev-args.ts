import { MAX_REPLICAS } from './topology.ts';

export interface DevArgs {
  /** `--replicas N`: the scale topology; undefined for the usual one copy of each app. */
  replicas: number | undefined;
}

/** `pnpm dev [--replicas N]`; a bad argument is a message for the person who typed it. */
export function parseDevArgs(argv: readonly string[]): DevArgs | { error: string } {
  let replicas: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const inline = arg.startsWith('--replicas=') ? arg.slice('--replicas='.length) : undefined;
    if (arg !== '--replicas' && inline === undefined) {
      return { error: `Unknown argument ${arg}. Usage: pnpm dev [--replicas N]` };
    }
    const value = inline ?? argv[++i] ?? '';
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_REPLICAS) {
      return { error: `--replicas must be a whole number from 1 to ${MAX_REPLICAS} (got "${value}")` };
    }
    replicas = Number(value);
  }
  return { replicas };
}
