// What the tests that drive the real GitHub Copilot CLI share: the client ID it names itself by, the
// redirect URI its `"auth": {"redirectPort": 3118}` setting sends, and its environment offline.
import type { Scratch } from './agent-clis.ts';
import { STAND_IN_MODEL } from './model-server.ts';

/** Its client ID metadata document: it never registers. */
export const COPILOT_CLIENT_ID = 'https://github.com/copilot/cli/client-metadata.json';
/** What it sends with `"auth": {"redirectPort": 3118}` in its server entry (the recipe's fix). */
export const COPILOT_RECIPE_REDIRECT_URI = 'http://127.0.0.1:3118/callback';

/** The scratch's environment with no GitHub sign-in, telemetry or updates, and the stand-in model at `modelUrl`. */
export const copilotEnv = (s: Scratch, modelUrl: string): Record<string, string> => ({
  ...s.env,
  COPILOT_OFFLINE: 'true',
  COPILOT_AUTO_UPDATE: 'false',
  COPILOT_PROVIDER_BASE_URL: modelUrl,
  COPILOT_PROVIDER_API_KEY: 'offline-e2e-key',
  COPILOT_MODEL: STAND_IN_MODEL,
});
