import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { recordFlowStep } from '@enginy/db/queries/flow-steps';
import { labScenariosInForce } from '@enginy/policy/failure-lab';
import type { FastifyInstance } from 'fastify';
import { METADATA_PATHS } from '../oauth/metadata/endpoint.ts';
import { REGISTER_PATHS } from '../oauth/register/endpoint.ts';
import { REVOKE_PATHS } from '../oauth/revoke/endpoint.ts';
import { TOKEN_PATHS } from '../oauth/token/endpoint.ts';
import { ownRouteOf } from '../lab/issuer-moved.ts';
import {
  authorizeStep,
  callerOf,
  consentDecisionStep,
  consentViewSteps,
  discoveryStep,
  type Observed,
  registerStep,
  revokeStep,
  tokenStep,
} from './step-of.ts';

/**
 * The lab scenarios a step ran under: the global ones, and its workspace's own where the step names
 * one (a step before sign-in names none, and no workspace switch applies to it).
 */
export function scenariosFor(switches: readonly LabSwitchRow[], workspaceId: string | null | undefined): string[] {
  const inForce =
    typeof workspaceId === 'string'
      ? labScenariosInForce(switches, workspaceId)
      : switches.filter((entry) => entry.workspaceId === null);
  return [...new Set(inForce.map((entry) => entry.scenario))];
}

const AUTHORIZE_PATHS = new Set(['/authorize', '/oauth/authorize']);
const has = (paths: readonly string[], url: string) => paths.includes(url);

function jsonOf(payload: unknown): Record<string, unknown> | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return undefined;
  try {
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Records each OAuth endpoint's answer as a step of its connection's flow (the console's Flows page),
 * from one hook rather than a call in every endpoint. Written before the answer leaves, so a client's
 * next step always finds this one; a failed write is logged, never turned into a failed request.
 */
export function recordFlowSteps(app: FastifyInstance, { config, db }: { config: StackConfig; db: Db }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // The failure lab's moved issuer's routes are the same steps (lab/issuer-moved.ts).
    const url = ownRouteOf(request.routeOptions.url ?? '');
    const method = request.method;
    const observed: Observed = { request, reply, body: jsonOf(payload) };
    try {
      const steps =
        method === 'GET' && has(METADATA_PATHS, url)
          ? [discoveryStep(observed)]
          : method === 'POST' && has(REGISTER_PATHS, url)
            ? [registerStep(observed)]
            : method === 'GET' && AUTHORIZE_PATHS.has(url)
              ? [authorizeStep(observed, config)]
              : url === '/consent/:id' && method === 'GET'
                ? reply.statusCode === 200
                  ? consentViewSteps(observed)
                  : []
                : url === '/consent/:id' && method === 'POST'
                  ? [await consentDecisionStep(observed, db)]
                  : method === 'POST' && has(TOKEN_PATHS, url)
                    ? [await tokenStep(observed, config, db)]
                    : method === 'POST' && has(REVOKE_PATHS, url)
                      ? [await revokeStep(observed, config, db)]
                      : [];
      if (steps.length === 0) return payload;
      const switches = await request.labSwitches();
      for (const step of steps) {
        const scenarios = scenariosFor(switches, step.workspaceId);
        await recordFlowStep(db, { ...step, ...callerOf(request), status: reply.statusCode, scenarios });
      }
    } catch (error) {
      request.log.error({ err: error, url }, 'could not record a flow step');
    }
    return payload;
  });
}
