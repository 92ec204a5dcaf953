import { describe, expect, it } from 'vitest';
import { isLiveTerminal, type ProgressStream, startProgress } from '../src/progress.ts';

const recorder = (columns = 80): ProgressStream & { text: string } => {
  const stream = {
    text: '',
    isTTY: true,
    columns,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
};

// What a terminal shows once every carriage return and erase-line has done its work.
const ERASE_LINE = '\x1b[2K';
function screen(text: string): string[] {
  const lines: string[] = [''];
  for (const part of text.replaceAll(ERASE_LINE, '\r').split(/(\r|\n)/)) {
    if (part === '\n') lines.push('');
    else if (part === '\r') lines[lines.length - 1] = '';
    else lines[lines.length - 1] += part;
  }
  return lines;
}

describe('progress', () => {
  it('in CI or a pipe, prints each step as a plain line and nothing else', () => {
    const out = recorder();
    const progress = startProgress(3, out, false);
    progress.step('mcp, 1 conns');
    progress.detail('warm-up');
    progress.log('  mcp: warm-up 2 s');
    progress.step('mcp, 50 conns');
    progress.done();
    expect(out.text).toBe('[1/3] mcp, 1 conns\n  mcp: warm-up 2 s\n[2/3] mcp, 50 conns\n');
  });

  it('on a terminal, rewrites one live line and keeps the other output above it', () => {
    const out = recorder();
    const progress = startProgress(12, out, true);
    progress.step('@enginy/policy');
    progress.detail('3 files done, last test/scopes.test.ts');
    expect(screen(out.text)).toEqual(['[1/12] @enginy/policy: 3 files done, last test/scopes.test.ts']);
    progress.log(' ✓ test/scopes.test.ts (12 tests) 9ms');
    progress.step('@enginy/db');
    expect(screen(out.text)).toEqual([' ✓ test/scopes.test.ts (12 tests) 9ms', '[2/12] @enginy/db']);
    progress.done();
    expect(screen(out.text)).toEqual([' ✓ test/scopes.test.ts (12 tests) 9ms', '']);
  });

  it('counts without a total when the command cannot know it', () => {
    const out = recorder();
    const progress = startProgress(undefined, out, false);
    progress.step('@enginy/db');
    progress.step('@enginy/auth');
    expect(out.text).toBe('[1/?] @enginy/db\n[2/?] @enginy/auth\n');
  });

  it('never draws wider than the terminal, where \\r could not take the line back', () => {
    const out = recorder(30);
    startProgress(2, out, true).step('a scenario with a very long name indeed');
    const [line] = screen(out.text);
    expect(line?.length).toBeLessThan(30);
    expect(line).toMatch(/^\[1\/2\] a scenario.*…$/);
  });

  it.each([
    [true, {}, true],
    [true, { CI: 'true' }, false],
    [true, { CI: '1' }, false],
    [true, { CI: 'false' }, true],
    [false, {}, false],
  ])('is live when isTTY=%s and env %j: %s', (isTTY, env, live) => {
    expect(isLiveTerminal({ write: () => true, isTTY }, env)).toBe(live);
  });
});
