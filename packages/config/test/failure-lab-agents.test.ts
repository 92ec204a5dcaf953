import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_AGENTS, labAgentsTable } from '../src/failure-lab-agents.ts';
import { LAB_SCENARIOS } from '../src/failure-lab.ts';

const root = new URL('../../../', import.meta.url);

describe('the agents measured against the failure lab', () => {
  it('each record names its test, which exists, and observes each built scenario at most once', () => {
    for (const record of LAB_AGENTS) {
      expect(existsSync(new URL(record.test, root)), record.test).toBe(true);
      const scenarios = record.observations.map((o) => o.scenario);
      expect(new Set(scenarios).size, record.agent).toBe(scenarios.length);
      for (const name of scenarios)
        expect(
          LAB_SCENARIOS.find((s) => s.name === name && !('planned' in s)),
          name,
        ).toBeDefined();
    }
  });

  it("the README's scenario × agent table is the one rendered from LAB_AGENTS", () => {
    const table = labAgentsTable(LAB_SCENARIOS);
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    // On failure: paste this table into the README's "What the real agents do" section.
    expect(readme.includes(`\n${table}\n`), `README.md lacks the table:\n\n${table}\n`).toBe(true);
  });
});
