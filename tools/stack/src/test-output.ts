// Follows `pnpm test:all`'s streamed output to tell progress which package runs and which of its
// files are done: turbo prefixes each line with "<package>:test: ", and vitest's default reporter
// prints a line per finished file (" ✓ test/scopes.test.ts (12 tests) 9ms", ❯ or × when one failed).
import { stripVTControlCharacters } from 'node:util';
import type { Progress } from './progress.ts';

const TURBO_PREFIX = /^(\S+):test: (.*)$/;
const FINISHED_FILE = /^\s*[✓❯×↓]\s+(\S+\.(?:test|spec)\.[cm]?[jt]sx?)(?:\s|$)/;

/** A line handler; `name` is the package of an unprefixed stream (the hardening suite, run alone). */
export function followTestOutput(progress: Pick<Progress, 'step' | 'detail'>): (line: string, name?: string) => void {
  let current: string | undefined;
  const done = new Set<string>();
  return (line, name) => {
    const plain = stripVTControlCharacters(line);
    const prefixed = TURBO_PREFIX.exec(plain);
    const pkg = name ?? prefixed?.[1];
    if (pkg !== undefined && pkg !== current) {
      current = pkg;
      done.clear();
      progress.step(pkg);
    }
    const file = FINISHED_FILE.exec(name === undefined ? (prefixed?.[2] ?? '') : plain)?.[1];
    if (file !== undefined && !done.has(file)) {
      done.add(file);
      progress.detail(`${done.size} file${done.size === 1 ? '' : 's'} done, last ${file}`);
    }
  };
}
