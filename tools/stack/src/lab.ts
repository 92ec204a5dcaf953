// `pnpm lab`: switches real field failures on and off in the running dev stack (the failure lab,
// packages/config/src/failure-lab.ts). It writes the switches to the stack's database (DATABASE_URL,
// or the embedded PostgreSQL a `pnpm dev` runs); every service hears the change on migration 0012's
// channel and applies it to its very next request. Each switch is recorded as an admin change.
import { userInfo } from 'node:os';
import { refuse } from '@enginy/config/cli-args';
import { findLabScenario, LAB_SCENARIOS } from '@enginy/config/failure-lab';
import type { Db } from '@enginy/db/client';
import { LAB_USAGE, type LabCommand, parseLabArgs } from './lab-args.ts';

const parsed = parseLabArgs(process.argv.slice(2));
// Bad input: one clear line, then the usage, exit 2; nothing was touched.
if (!parsed.ok) refuse({ usage: LAB_USAGE }, parsed.message);
const command = parsed.value;
if (command.command === 'help') {
  process.stdout.write(`${LAB_USAGE}\n\nScenarios: ${LAB_SCENARIOS.map((scenario) => scenario.name).join(', ')}\n`);
  process.exit(0);
}
if (command.command === 'list') {
  process.stdout.write(`${describeScenarios()}\n`);
  process.exit(0);
}

// Parsed before the rest is imported, so --help, list and a bad argument answer at once.
const { recordAuthEvent } = await import('@enginy/db/queries/audit-events');
const { listLabSwitches, switchAllLabOff, switchLabOff, switchLabOn } = await import('@enginy/db/queries/failure-lab');
const { findWorkspace } = await import('@enginy/db/queries/workspaces');
const { isProductionEnv, readConfigOrExit } = await import('./env.ts');
const { onStackDatabase } = await import('./stack-database.ts');

if (isProductionEnv()) {
  // The services hold no switch in production whatever the table says; refusing here says so at once.
  process.stderr.write('The failure lab is for local stacks: it refuses to run with NODE_ENV=production.\n');
  process.exit(1);
}
const config = readConfigOrExit();
const by = `cli:${safeUserName()}`;
const problem = await onStackDatabase(config, (db) => run(db, command));
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

async function run(db: Db, command: LabCommand): Promise<void> {
  switch (command.command) {
    case 'status':
      process.stdout.write(`${await describeStatus(db)}\n`);
      return;
    case 'off-all': {
      const count = await db.transaction().execute(async (trx) => {
        const switchedOff = await switchAllLabOff(trx);
        await recordAuthEvent(trx, labEvent('failure_lab_off', null, { scenario: 'all', switchedOff }));
        return switchedOff;
      });
      process.stdout.write(count === 0 ? 'Nothing was on.\n' : `Switched off ${count} scenario(s).\n`);
      return;
    }
    case 'on':
    case 'off': {
      const workspaceId = command.workspace === undefined ? null : await workspaceIdOf(db, command.workspace);
      const where = command.workspace === undefined ? '' : ` for ${command.workspace}`;
      if (command.command === 'on') {
        await db.transaction().execute(async (trx) => {
          await switchLabOn(trx, {
            scenario: command.scenario,
            workspaceId,
            options: command.options,
            // A counted scenario takes its count from its one option (token-unavailable --count).
            remaining: command.options.count ?? null,
            by,
          });
          await recordAuthEvent(
            trx,
            labEvent('failure_lab_on', workspaceId, { scenario: command.scenario, options: command.options }),
          );
        });
        const options = Object.entries(command.options).map(([name, value]) => ` --${name} ${value}`);
        process.stdout.write(
          `On${where}: ${command.scenario}${options.join('')}. Off with: pnpm lab off ${command.scenario}\n`,
        );
        return;
      }
      const count = await db.transaction().execute(async (trx) => {
        const switchedOff = await switchLabOff(
          trx,
          command.scenario,
          command.workspace === undefined ? undefined : workspaceId,
        );
        await recordAuthEvent(
          trx,
          labEvent('failure_lab_off', workspaceId, { scenario: command.scenario, switchedOff }),
        );
        return switchedOff;
      });
      process.stdout.write(
        count === 0 ? `${command.scenario} was not on${where}.\n` : `Off${where}: ${command.scenario}.\n`,
      );
      return;
    }
    default:
      return;
  }
}

async function workspaceIdOf(db: Db, slug: string): Promise<string> {
  const workspace = await findWorkspace(db, slug);
  if (workspace === undefined) throw new Error(`No workspace "${slug}" (the seeded ones are acme and globex).`);
  return workspace.id;
}

/** An admin change on the audit trail beside the console's (outcome "allowed": the change was made). */
function labEvent(reason: 'failure_lab_on' | 'failure_lab_off', workspaceId: string | null, details: object) {
  return {
    workspaceId,
    clientId: null,
    redirectUri: null,
    requestedScopes: [],
    outcome: 'allowed' as const,
    reason,
    details: { by, ...details },
  };
}

function describeScenarios(): string {
  return LAB_SCENARIOS.map((scenario) => {
    const options = scenario.options.map(
      (option) => ` [--${option.name} N] (${option.description}, default ${option.default})`,
    );
    const scope = scenario.workspaceSense ? ' [--workspace <slug>]' : ' (global)';
    return [
      `${scenario.name}${options.join('')}${scope}`,
      `  ${scenario.description}`,
      `  A correct client: ${scenario.correctClient}`,
      `  Spec: ${scenario.clause}`,
      ...(scenario.reports.length > 0 ? [`  Reports: ${scenario.reports.join(' ')}`] : []),
    ].join('\n');
  }).join('\n\n');
}

async function describeStatus(db: Db): Promise<string> {
  const rows = await listLabSwitches(db);
  if (rows.length === 0) return 'No scenario is on: the stack behaves as usual.';
  return rows
    .map((row) => {
      const options = Object.entries(row.options)
        .filter(([name]) => findLabScenario(row.scenario)?.options.some((option) => option.name === name))
        .map(([name, value]) => ` --${name} ${value}`)
        .join('');
      const left = row.remaining === null ? '' : row.remaining === 0 ? ' (spent)' : ` (${row.remaining} left)`;
      return `${row.scenario}${options}${left}: ${row.workspaceSlug ?? 'global'}, on since ${row.switchedOnAt.toISOString()} by ${row.switchedOnBy}`;
    })
    .join('\n');
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
