import { runService } from '@enginy/service/run';
import { buildApp } from './app.ts';
import { readConfig } from './env.ts';

await runService({
  name: 'auth',
  readConfig,
  port: (config) => config.auth.port,
  portVariable: 'AUTH_PORT',
  build: (config, db) => buildApp(config, { db }),
});
