// The one command-line reader every CLI of ours shares (pnpm dev, bench, db:*, doctor, …), so each
// answers --help and -h the same way and refuses a bad argument the same way: one line naming it,
// then the usage, exit 2, never a stack trace. It sits in config, beside the environment it
// complements, because apps (doctor) may import config and may not import tools/.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine<O extends Options> {
  /** The whole usage text, from "Usage: pnpm …": on stdout for --help, on stderr after a refusal. */
  usage: string;
  /** node:util parseArgs options; --help and -h are answered before these are read. */
  options: O;
  /** Whether the command takes positional arguments (scenarios, a URL, a sub-command). */
  positionals?: boolean;
}

export type ParsedCommandLine<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>
>;

/** A command's usage and options, typed so that readCommandLine knows each option's value type. */
export function defineCommand<const O extends Options>(command: CommandLine<O>): CommandLine<O> {
  return command;
}

/** A command line the command cannot run with; its message is the one line that says why. */
export class UsageError extends Error {}

/** Exit code of a refused command line (as Node and most Unix tools use for bad usage). */
export const USAGE_EXIT_CODE = 2;

const HELP = new Set(['--help', '-h']);

/**
 * The parsed arguments, or 'help' when --help or -h comes before any `--`: help wins over every
 * other argument, good or bad, so it never starts anything. Throws UsageError for a bad argument.
 */
export function parseCommandLine<O extends Options>(
  command: CommandLine<O>,
  argv: readonly string[],
): ParsedCommandLine<O> | 'help' {
  const end = argv.indexOf('--');
  if ((end === -1 ? argv : argv.slice(0, end)).some((arg) => HELP.has(arg))) return 'help';
  try {
    return parseArgs({
      args: [...argv],
      options: command.options,
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(oneLine(error as Error & { code?: string }));
  }
}

/**
 * What a CLI's entry point calls first: --help prints the usage on stdout and exits 0; a bad argument
 * prints one line and the usage on stderr and exits 2. Otherwise the parsed arguments.
 */
export function readCommandLine<O extends Options>(
  command: CommandLine<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCommandLine<O> {
  let parsed: ParsedCommandLine<O> | 'help';
  try {
    parsed = parseCommandLine(command, argv);
  } catch (error) {
    if (error instanceof UsageError) refuse(command, error.message);
    throw error;
  }
  if (parsed === 'help') {
    process.stdout.write(withNewline(command.usage));
    process.exit(0);
  }
  return parsed;
}

/** A value the command itself checked and refuses (`--replicas 9`): the same one line, usage and exit 2. */
export function refuse(command: Pick<CommandLine<Options>, 'usage'>, message: string): never {
  process.stderr.write(`${message}\n${withNewline(command.usage)}`);
  process.exit(USAGE_EXIT_CODE);
}

// parseArgs's messages name the argument but run on with advice, sometimes over several lines.
function oneLine(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) return `Unknown option ${quoted}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined)
    return `Unexpected argument ${quoted}: this command takes none`;
  return (error.message.split('\n')[0] ?? error.message).replace(/\.$/, '');
}

const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
