// A command in a network namespace of its own (unshare(1)), with only its loopback up (ip(8), Debian's
// iproute2): the ports it binds, an agent's fixed OAuth callback port among them, cannot clash with
// the same ports bound elsewhere on the machine, and it reaches nothing but its own loopback.
import { spawnSync } from 'node:child_process';

const SHELL = 'ip link set lo up && exec "$0" "$@"';

let available: boolean | undefined;

/** Whether this machine lets this process make one: root, with unshare and ip installed. Asked once. */
export function privateNetworkAvailable(): boolean {
  available ??= spawnSync('unshare', ['--net', 'sh', '-c', SHELL, 'true'], { stdio: 'ignore' }).status === 0;
  return available;
}

/** The command and arguments that run `command args…` in a private network. */
export function inPrivateNetwork(command: string, args: readonly string[]): [string, string[]] {
  return ['unshare', ['--net', 'sh', '-c', SHELL, command, ...args]];
}
