import { type Env, type StackConfig, loadConfig } from '@enginy/config/load';

/** The stack's configuration as a test sees it: test mode, quiet logs, the given database. */
export function testConfig(databaseUrl: string, env: Env = {}): StackConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ...env });
}
