import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

// Where Debian's packages put their programs (/usr/sbin is not on every user's PATH).
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The path of a system program, or an error that says how to install it. */
export function findExecutable(name: string, install: string): string {
  for (const dir of SYSTEM_DIRS) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed (${install}); the replicated stack needs it`);
}
