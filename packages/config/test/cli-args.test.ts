import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli-args.ts';

const command = {
  usage: 'Usage: pnpm thing [--count N] [name…]',
  options: { count: { type: 'string' }, quiet: { type: 'boolean' } },
  positionals: true,
} as const;
const noPositionals = { ...command, positionals: false };

const refusal = (argv: string[], spec: typeof command | typeof noPositionals = command) => {
  try {
    parseCommandLine(spec, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return undefined;
};

describe('parseCommandLine', () => {
  it('reads options and positionals', () => {
    const parsed = parseCommandLine(command, ['--count', '3', 'a', '--quiet', 'b']);
    expect(parsed).not.toBe('help');
    if (parsed === 'help') return;
    expect(parsed.values).toEqual({ count: '3', quiet: true });
    expect(parsed.positionals).toEqual(['a', 'b']);
  });

  it.each([
    [['--help']],
    [['-h']],
    [['a', '--count', '2', '-h']],
    // Help wins over a bad argument: asking for help never gets a refusal, and never starts anything.
    [['--bogus', '--help']],
  ])('answers help for %j', (argv) => {
    expect(parseCommandLine(command, argv)).toBe('help');
  });

  it('leaves --help after -- to the command', () => {
    const parsed = parseCommandLine(command, ['--', '--help']);
    expect(parsed === 'help' ? [] : parsed.positionals).toEqual(['--help']);
  });

  it.each([
    [['--bogus'], 'Unknown option --bogus'],
    [['-x'], 'Unknown option -x'],
    [['--count'], "Option '--count <value>' argument missing"],
    [['--quiet=yes'], "Option '--quiet' does not take an argument"],
  ])('refuses %j in one line: %s', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it('refuses a positional when the command takes none, naming it', () => {
    expect(refusal(['extra'], noPositionals)).toBe('Unexpected argument extra: this command takes none');
  });

  it('keeps only the first line of a multi-line parseArgs message', () => {
    const message = refusal(['--count', '-3']);
    expect(message).toContain('--count');
    expect(message).not.toContain('\n');
  });
});
