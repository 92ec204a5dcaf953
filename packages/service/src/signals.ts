// One Ctrl-C often arrives more than once: the terminal signals the whole process group while a
// parent (pnpm, tsx) relays the same signal to its child. Repeats within this window are the same
// request; a later one is a person pressing Ctrl-C again to stop waiting.
const SAME_REQUEST_MS = 1_500;

/** Runs `shutdown` once on the first SIGINT/SIGTERM; a deliberate second signal exits at once. */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void> | void): void {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      void shutdown(signal);
    } else if (Date.now() - firstAt > SAME_REQUEST_MS) {
      process.exit(1);
    }
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
