// The console's failure-lab routes (apps/auth/src/console/failure-lab.ts): the catalogue's scenarios
// with the switch in force for the console's workspace, and an admin's on/off. Options travel as
// numbers (or digits as text); the catalogue's own parseLabOptions decides what is valid, as for `pnpm lab`.
import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './wire.ts';

const Strings = Type.Array(Type.String());

export const LabParams = Type.Object({ id: Type.String(), scenario: Type.String() });

// PUT /console/workspaces/:id/failure-lab/:scenario
export const LabSwitchInput = Type.Object(
  {
    /** "workspace": the console's workspace only (scenarios with workspaceSense); "global": every request. */
    scope: StringEnum(['workspace', 'global'], { errorMessage: 'must be "workspace" or "global"' }),
    /** Absent: every option at its default. */
    options: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()]), {
        errorMessage: 'must be an object of option names to whole numbers',
      }),
    ),
  },
  { errorMessage: 'expected a JSON object' },
);

const LabOption = Type.Object({
  name: Type.String(),
  description: Type.String(),
  default: Type.Integer(),
  min: Type.Integer(),
  max: Type.Integer(),
});

/** The switch in force for the workspace (its own first, then the global one), as stored. */
export const LabState = Type.Object({
  scope: StringEnum(['workspace', 'global']),
  options: Type.Record(Type.String(), Type.Number()),
  /** What is left of a counted scenario (0: spent, no longer in force); null when not counted. */
  remaining: Nullable(Type.Integer()),
  switchedOnBy: Type.String(),
  switchedOnAt: Timestamp,
});

export const LabScenarioView = Type.Object({
  name: Type.String(),
  description: Type.String(),
  options: Type.Array(LabOption),
  workspaceSense: Type.Boolean(),
  /** Catalogued but not built yet: it cannot be switched on. */
  planned: Type.Boolean(),
  reports: Strings,
  correctClient: Type.String(),
  clause: Type.String(),
  /** Empty until measured: the page says "not yet measured". */
  agentsSeen: Type.Array(
    Type.Object({
      agent: Type.String(),
      /** unaffected | recovers | authorizes-again | stops | proceeds | loops (@enginy/config/failure-lab-agents). */
      reaction: Type.String(),
      seen: Type.String(),
      source: Type.String(),
    }),
  ),
  /** True when a switch puts it in force for this workspace's requests now. */
  on: Type.Boolean(),
  state: Nullable(LabState),
});

export const LabOverview = Type.Object({ scenarios: Type.Array(LabScenarioView) });
export const LabSwitchedOff = Type.Object({ switchedOff: Type.Integer(), scenarios: Type.Array(LabScenarioView) });
