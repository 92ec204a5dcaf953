import { ConfigError } from '@enginy/config/errors';
import { type StackConfig, loadConfig } from '@enginy/config/load';

/** The stack scripts' one read of the process environment; a bad one ends with a clear message. */
export function readConfigOrExit(): StackConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** NODE_ENV=production, asked before reading the rest (which production may refuse for other reasons). */
export function isProductionEnv(): boolean {
  return process.env.NODE_ENV === 'production';
}
