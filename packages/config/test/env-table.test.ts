// The README's "Environment variables" table names every variable loadConfig reads, and nothing it
// does not: a variable added to the schema without a row (or a row left after one is removed) fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../src/load.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

function tableNames(): string[] {
  const start = readme.indexOf('## Environment variables');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split(' | ')[0] as string).matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string),
    );
}

describe("the README's environment variables", () => {
  it('lists every variable the stack reads, each once, and no other', () => {
    const listed = tableNames();
    expect(listed.length).toBeGreaterThan(20);
    expect([...listed].sort()).toEqual([...new Set(listed)].sort());
    expect(new Set(listed)).toEqual(new Set(ENV_NAMES));
  });
});
