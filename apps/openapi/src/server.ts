import { runService } from '@enginy/service/run';
import { buildApp } from './app.ts';
import { readConfig } from './env.ts';

await runService({
  name: 'openapi',
  readConfig,
  port: (config) => config.openapi.port,
  portVariable: 'OPENAPI_PORT',
  build: (config, db) => buildApp(config, { db }),
});
