import { type StackConfig, loadConfig } from '@enginy/config/load';

/** The only place this app reads the process environment. */
export function readConfig(): StackConfig {
  return loadConfig(process.env);
}
