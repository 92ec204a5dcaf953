// What a long command (pnpm bench, pnpm test:all) is doing and how far it is: "[3/12] mcp, 50 conns".
// On a terminal, one live line rewritten in place, with the command's other lines printed above it;
// in CI or into a pipe or file, where a rewritten line is noise, each step on a plain line of its own.

/** The part of a stream progress writes to (process.stderr, or a test's recorder). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** The next of `total` steps begins: counts it and shows it. */
  step(label: string): void;
  /** What the current step is doing now (a file finished, a warm-up): shown live, never as a plain line. */
  detail(text: string): void;
  /** A line of the command's own output, kept above the live line; `to` another stream (stderr) if not progress's. */
  log(line: string, to?: ProgressStream): void;
  /** Clears the live line, leaving the output as if progress had never been shown. */
  done(): void;
}

/** A live line only on a terminal outside CI: CI logs keep every carriage return as a new line. */
export function isLiveTerminal(stream: ProgressStream, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && (env.CI === undefined || env.CI === '' || env.CI === 'false');
}

/** `total` undefined when the command cannot know it in advance: "[3/?]". */
export function startProgress(
  total: number | undefined,
  stream: ProgressStream = process.stderr,
  live: boolean = isLiveTerminal(stream),
): Progress {
  let count = 0;
  let label = '';
  let detail = '';
  let shown = false;
  const counter = () => (total === undefined ? `[${count}/?]` : `[${Math.min(count, total)}/${total}]`);
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const draw = () => {
    if (!live || count === 0) return;
    const text = `${counter()} ${label}${detail === '' ? '' : `: ${detail}`}`;
    // A line wider than the terminal wraps, and \r then rewrites only its last row.
    const width = Math.max(20, (stream.columns || 80) - 1); // a pty with no size says 0
    stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
  return {
    step(next) {
      count++;
      label = next;
      detail = '';
      if (live) draw();
      else stream.write(`${counter()} ${label}\n`);
    },
    detail(text) {
      detail = text;
      draw();
    },
    log(line, to = stream) {
      clear();
      to.write(line.endsWith('\n') ? line : `${line}\n`);
      draw();
    },
    done() {
      clear();
    },
  };
}
