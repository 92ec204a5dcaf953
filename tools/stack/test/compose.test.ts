import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeProblems, readCompose, validateWithCompose } from '../src/compose.ts';
import { REPO_ROOT } from '../src/processes.ts';

const file = join(REPO_ROOT, 'docker-compose.yml');

describe('docker-compose.yml', () => {
  it('defines the documented services, ports, health checks and volume', () => {
    expect(composeProblems(readCompose(file))).toEqual([]);
  });

  it('passes a real Compose validator', () => {
    const result = validateWithCompose(file);
    if (result === undefined && !process.env.CI) return; // a laptop without Compose: CI always has it
    expect(result?.error).toBeUndefined();
  });

  it('would catch a drifted port or a missing service', () => {
    const drifted = readCompose(file).replace('"3001:3001"', '"3999:3001"').replace(/\n {2}web:[\s\S]*?(?=\nvolumes:)/, '\n');
    const problems = composeProblems(drifted);
    expect(problems).toContain('openapi must publish port 3001:3001');
    expect(problems.some((problem) => problem.startsWith('services are'))).toBe(true);
  });
});
