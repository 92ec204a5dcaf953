// The workspace console API (the web app calls it as /api/auth/console/...): members read, admins write.
// An encapsulated plugin: its schemas and validation stop at its edge. Its errors are rows of the app's
// one catalogue (errors/catalogue.ts, kind console), rendered by the app's one handler.
import type { ErrorObject } from 'ajv';
import type { FastifyPluginAsync } from 'fastify';
import { accessHooks } from './access.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { attemptRoutes } from './attempts.ts';
import { clientRoutes } from './clients.ts';
import { connectionRoutes } from './connections.ts';
import type { ConsoleDeps, ConsoleOptions } from './deps.ts';
import { failureLabRoutes } from './failure-lab.ts';
import { flowRoutes } from './flows.ts';
import { mcpSettingsRoutes } from './mcp-settings.ts';
import { memberRoutes } from './members.ts';
import { previewRoutes } from './preview.ts';
import { compileConsoleSchema, consoleValidationError } from './validation.ts';
import { workspaceRoutes } from './workspaces.ts';

const consoleApi: FastifyPluginAsync<ConsoleOptions> = async (app, { config, db }) => {
  app.setValidatorCompiler(compileConsoleSchema);
  app.setSchemaErrorFormatter((errors) => consoleValidationError(errors as ErrorObject[]));
  app.decorateRequest('consoleCaller', null);

  const deps: ConsoleDeps = { config, db, access: accessHooks(db, config) };
  for (const routes of [
    workspaceRoutes,
    mcpSettingsRoutes,
    connectionRoutes,
    attemptRoutes,
    previewRoutes,
    clientRoutes,
    apiKeyRoutes,
    memberRoutes,
    failureLabRoutes,
    flowRoutes,
  ]) {
    await app.register(routes, deps);
  }
};

export default consoleApi;
