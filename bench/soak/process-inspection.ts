import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
}

// A process may end between listing and reading; it is simply left out.
const readProc = async (pid: number): Promise<ProcessEntry | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the parent pid is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
    return { pid, ppid, command };
  } catch {
    return undefined;
  }
};

const listProcesses = async (): Promise<ProcessEntry[]> => {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    // No /proc (macOS): ps has the same facts.
    const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,args=']);
    return stdout
      .split('\n')
      .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
      .flatMap((match) =>
        match ? [{ pid: Number(match[1]), ppid: Number(match[2]), command: match[3] ?? '' }] : [],
      );
  }
  const entries = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((name) => readProc(Number(name))),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
};

/** Every process started (directly or not) by `root`, parents before children. */
export const descendantsOf = async (root: number): Promise<Array<{ pid: number; command: string }>> => {
  const processes = await listProcesses();
  const found: Array<{ pid: number; command: string }> = [];
  let parents = new Set([root]);
  while (parents.size > 0) {
    const children = processes.filter((entry) => parents.has(entry.ppid));
    found.push(...children.map(({ pid, command }) => ({ pid, command })));
    parents = new Set(children.map((entry) => entry.pid));
  }
  return found;
};

/**
 * The process that does the work under `root` (npm, a shell and tsx's launcher sit above it): the last
 * descendant whose command line contains `marker`.
 */
export const findWorker = async (root: number, marker: string): Promise<number | undefined> =>
  (await descendantsOf(root)).filter((entry) => entry.command.includes(marker)).at(-1)?.pid;

/** Resident memory of a process in kilobytes: the total (VmRSS) and, where /proc tells, its two main parts. */
export interface ResidentMemory {
  readonly rssKb: number;
  /** Anonymous memory: the JavaScript heap, native allocations, stacks. */
  readonly anonKb: number | undefined;
  /** Pages of mapped files (code, and files a database maps to read them). */
  readonly fileKb: number | undefined;
}

const field = (status: string, name: string): number | undefined => {
  const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : undefined;
};

/** A process's resident memory, or undefined once it has ended. */
export const residentMemory = async (pid: number): Promise<ResidentMemory | undefined> => {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    // No /proc (macOS), or the process ended: ps knows the total, or nothing.
    try {
      const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
      const value = Number(stdout.trim());
      return stdout.trim() === '' || Number.isNaN(value)
        ? undefined
        : { rssKb: value, anonKb: undefined, fileKb: undefined };
    } catch {
      return undefined;
    }
  }
  const rssKb = field(status, 'VmRSS');
  return rssKb === undefined
    ? undefined
    : { rssKb, anonKb: field(status, 'RssAnon'), fileKb: field(status, 'RssFile') };
};
