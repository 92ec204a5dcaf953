// `pnpm lab`'s command line, checked before anything reads config or touches a database. Plain on
// purpose: the shared CLI-args helper will take it over.
import { findLabScenario, LAB_SCENARIO_NAMES, parseLabOptions } from '@enginy/config/failure-lab';
import type { LabScenarioName } from '@enginy/config/failure-lab';

export const LAB_USAGE = `Usage:
  pnpm lab list                                   the scenarios, their options and what they reproduce
  pnpm lab status                                 the scenarios switched on now
  pnpm lab on <scenario> [--<option> N] [--workspace <slug>]
  pnpm lab off <scenario> [--workspace <slug>]    (without --workspace: everywhere)
  pnpm lab off --all
  pnpm lab --help`;

export type LabCommand =
  | { command: 'help' | 'list' | 'status' | 'off-all' }
  | { command: 'on'; scenario: LabScenarioName; options: Record<string, number>; workspace?: string }
  | { command: 'off'; scenario: LabScenarioName; workspace?: string };

export type ParsedLabArgs = { ok: true; value: LabCommand } | { ok: false; message: string };

const COMMANDS = 'list, status, on, off, --help';

export function parseLabArgs(argv: readonly string[]): ParsedLabArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help')
    return { ok: true, value: { command: 'help' } };
  if (command === 'list' || command === 'status') {
    if (rest.length > 0) return { ok: false, message: `${command} takes no arguments (got ${rest.join(' ')})` };
    return { ok: true, value: { command } };
  }
  if (command !== 'on' && command !== 'off')
    return { ok: false, message: `Unknown command "${command}"; commands: ${COMMANDS}` };
  if (command === 'off' && rest.length === 1 && rest[0] === '--all') return { ok: true, value: { command: 'off-all' } };

  const [name, ...flags] = rest;
  const scenarios = LAB_SCENARIO_NAMES.join(', ');
  if (name === undefined || name.startsWith('-'))
    return {
      ok: false,
      message: `${command} needs a scenario${command === 'off' ? ' (or --all)' : ''}; scenarios: ${scenarios}`,
    };
  const scenario = findLabScenario(name);
  if (scenario === undefined) return { ok: false, message: `Unknown scenario "${name}"; scenarios: ${scenarios}` };
  if (command === 'on' && scenario.planned === true)
    return { ok: false, message: `${scenario.name} is catalogued but not built yet; nothing would act on it` };

  const given: Record<string, string> = {};
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(flag);
    if (match === null) return { ok: false, message: `Unexpected "${flag}": options are --name value` };
    const key = match[1] as string;
    const value = match[2] ?? flags[++index];
    if (value === undefined) return { ok: false, message: `--${key} needs a value` };
    if (key in given) return { ok: false, message: `--${key} is given twice` };
    given[key] = value;
  }
  const { workspace, ...options } = given;
  if (workspace !== undefined && !scenario.workspaceSense)
    return { ok: false, message: `${scenario.name} is global: it takes no --workspace` };
  if (workspace !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(workspace))
    return { ok: false, message: `--workspace takes a workspace slug (like acme), not "${workspace}"` };
  const scope = workspace === undefined ? {} : { workspace };
  if (command === 'off') {
    if (Object.keys(options).length > 0)
      return { ok: false, message: `off takes only --workspace (got --${Object.keys(options).join(', --')})` };
    return { ok: true, value: { command, scenario: scenario.name as LabScenarioName, ...scope } };
  }
  const known = [...scenario.options.map((option) => option.name), ...(scenario.workspaceSense ? ['workspace'] : [])];
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined)
    return {
      ok: false,
      message: `${scenario.name} has no option --${unknown}; its options: ${known.map((key) => `--${key}`).join(', ') || 'none'}`,
    };
  const parsed = parseLabOptions(scenario, options);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: { command, scenario: scenario.name as LabScenarioName, options: parsed.options, ...scope },
  };
}
