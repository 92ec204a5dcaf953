// The failure lab from the console (the same switches as `pnpm lab`): members see each scenario and
// whether it is on for their workspace; admins switch one on (with the catalogue's options, validated
// by the catalogue's own parseLabOptions), off, or all off. Each switch is an admin change on the
// audit trail, written in the switch's transaction. In production every lab route refuses.
import { findLabScenario, type LabScenario, type LabScenarioName, parseLabOptions } from '@enginy/config/failure-lab';
import { LabOverview, LabParams, LabSwitchedOff, LabSwitchInput } from '@enginy/contracts/console-failure-lab';
import { WorkspaceParams } from '@enginy/contracts/console';
import { recordAuthEvent } from '@enginy/db/queries/audit-events';
import { switchAllLabOff, switchLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { labRefusal, labSwitchProblem } from '@enginy/policy/failure-lab-switching';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preValidationAsyncHookHandler } from 'fastify';
import { callerOf } from './access.ts';
import { adminEvent } from './admin-event.ts';
import type { ConsoleDeps } from './deps.ts';
import { FailureLabUnavailable, ValidationFailed } from '../errors/classes.ts';
import { labOverview } from './failure-lab-view.ts';

function scenarioNamed(name: string): LabScenario {
  const scenario = findLabScenario(name);
  if (scenario === undefined) throw new ValidationFailed('scenario', name, 'is not a failure-lab scenario');
  return scenario;
}

/** The catalogue's parse, one option at a time, so that the 422 names the option that is wrong. */
function validOptions(scenario: LabScenario, sent: Record<string, number | string>): Record<string, number> {
  const given = Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, String(value)]));
  for (const [name, raw] of Object.entries(given)) {
    const one = parseLabOptions(scenario, { [name]: raw });
    if (!one.ok) throw new ValidationFailed(`options.${name}`, sent[name], one.message);
  }
  const all = parseLabOptions(scenario, given);
  if (!all.ok) throw new ValidationFailed('options', sent, all.message);
  return all.options;
}

/** GET, PUT, DELETE /console/workspaces/:id/failure-lab[/:scenario]. */
export const failureLabRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { config, db, access }) => {
  // After the access hook: a stranger still learns only 401/404, a member of a production stack why not.
  const open: preValidationAsyncHookHandler = async () => {
    const refusal = labRefusal(config.nodeEnv);
    if (refusal !== undefined) throw new FailureLabUnavailable(refusal);
  };
  const path = '/console/workspaces/:id/failure-lab';

  app.get(
    path,
    { preValidation: [access.member, open], schema: { params: WorkspaceParams, response: { 200: LabOverview } } },
    async (request, reply) => {
      const scenarios = await labOverview(db, callerOf(request).workspace.id);
      return reply.header('cache-control', 'no-store').send({ scenarios });
    },
  );

  app.put(
    `${path}/:scenario`,
    {
      preValidation: [access.admin, open],
      schema: { params: LabParams, body: LabSwitchInput, response: { 200: LabOverview } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const scenario = scenarioNamed(request.params.scenario);
      const { scope } = request.body;
      const problem = labSwitchProblem(scenario, scope);
      if (problem !== undefined)
        throw new ValidationFailed(problem.field, problem.field === 'scope' ? scope : scenario.name, problem.message);
      const options = validOptions(scenario, request.body.options ?? {});
      const workspaceId = scope === 'workspace' ? caller.workspace.id : null;
      await db.transaction().execute(async (trx) => {
        await switchLabOn(trx, {
          scenario: scenario.name as LabScenarioName,
          workspaceId,
          options,
          // A counted scenario takes its count from its one option (token-unavailable count), as the CLI does.
          remaining: options.count ?? null,
          by: caller.email,
        });
        await recordAuthEvent(trx, adminEvent(caller, 'failure_lab_on', { scenario: scenario.name, scope, options }));
      });
      return reply.header('cache-control', 'no-store').send({ scenarios: await labOverview(db, caller.workspace.id) });
    },
  );

  // Off for this workspace's requests: its own switch and the global one (what the page shows as on).
  app.delete(
    `${path}/:scenario`,
    { preValidation: [access.admin, open], schema: { params: LabParams, response: { 200: LabSwitchedOff } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const scenario = scenarioNamed(request.params.scenario);
      const switchedOff = await db.transaction().execute(async (trx) => {
        const count =
          (await switchLabOff(trx, scenario.name, caller.workspace.id)) +
          (await switchLabOff(trx, scenario.name, null));
        await recordAuthEvent(
          trx,
          adminEvent(caller, 'failure_lab_off', { scenario: scenario.name, switchedOff: count }),
        );
        return count;
      });
      const scenarios = await labOverview(db, caller.workspace.id);
      return reply.header('cache-control', 'no-store').send({ switchedOff, scenarios });
    },
  );

  // All off, everywhere (as `pnpm lab off --all`): the way back to a stack that behaves as usual.
  app.delete(
    path,
    { preValidation: [access.admin, open], schema: { params: WorkspaceParams, response: { 200: LabSwitchedOff } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const switchedOff = await db.transaction().execute(async (trx) => {
        const count = await switchAllLabOff(trx);
        await recordAuthEvent(trx, adminEvent(caller, 'failure_lab_off', { scenario: 'all', switchedOff: count }));
        return count;
      });
      const scenarios = await labOverview(db, caller.workspace.id);
      return reply.header('cache-control', 'no-store').send({ switchedOff, scenarios });
    },
  );
};
