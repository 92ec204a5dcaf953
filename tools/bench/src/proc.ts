// Process facts from /proc (Linux): who descends from whom, and resident memory.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  rssMb: number;
  /** The command line, shortened to what tells processes apart (the script, not node's flags). */
  command: string;
  /** The app whose directory it runs in (`apps/<app>`), if any. */
  app?: string;
}

function read(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const app = /\/apps\/([^/]+)$/.exec(readlinkSync(`/proc/${pid}/cwd`))?.[1];
    return { pid, ppid, rssMb: rssKb / 1024, command: shorten(argv), ...(app ? { app } : {}) };
  } catch {
    return undefined; // exited while we looked
  }
}

function shorten(argv: string[]): string {
  const [exe, ...rest] = argv;
  const args = rest.filter((arg, i) => !arg.startsWith('-') && !rest[i - 1]?.match(/^--(require|import|loader)$/));
  const tool = (path: string) => path.split('/').slice(-1)[0] ?? path;
  const first = args[0] ?? '';
  // A package's bin by its package name; a script by its last two path segments.
  const script = first.includes('/node_modules/')
    ? (first.split('/node_modules/').pop()?.split('/')[0] ?? '')
    : first.split('/').slice(-2).join('/');
  return [tool(exe ?? ''), script, ...args.slice(1, 3)].filter(Boolean).join(' ').replace(/\s+/g, ' ').slice(0, 60);
}

/** `root` and every process below it, parents before children. */
export function processTree(root: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => read(Number(entry)))
    .filter((info) => info !== undefined);
  const byParent = new Map<number, ProcessInfo[]>();
  for (const info of all) byParent.set(info.ppid, [...(byParent.get(info.ppid) ?? []), info]);
  const rootInfo = all.find((info) => info.pid === root);
  if (rootInfo === undefined) return [];
  const tree: ProcessInfo[] = [];
  const queue = [rootInfo];
  while (queue.length > 0) {
    const info = queue.shift() as ProcessInfo;
    tree.push(info);
    queue.push(...(byParent.get(info.pid) ?? []));
  }
  return tree;
}

/** Resident memory of one process now, in MB (undefined once it has exited). */
export function rssMb(pid: number): number | undefined {
  return read(pid)?.rssMb;
}

/**
 * Whether `info` is the Node.js process doing the work: a node process with no node child (tsx's
 * launcher has one; esbuild's service, a child of the server, is no node process).
 */
export function isServer(info: ProcessInfo, tree: readonly ProcessInfo[]): boolean {
  const isNode = (p: ProcessInfo) => p.command.startsWith('node');
  return isNode(info) && !tree.some((child) => child.ppid === info.pid && isNode(child));
}

// /proc/<pid>/stat counts CPU time in clock ticks: 100 a second on Linux (USER_HZ).
const TICKS_PER_SECOND = 100;

/** CPU time one process has used so far (user + system), in seconds; 0 once it has exited. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
