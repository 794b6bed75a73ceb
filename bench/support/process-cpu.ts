/**
 * CPU time of a process tree, from Linux's /proc (stat(5)): what a service (every cluster worker
 * and every thread) or a PostgreSQL server (the postmaster, each backend, the WAL writer…) spent,
 * read from outside so that measuring costs the measured processes nothing.
 *
 * A live process contributes its own user and system time; a child that already exited and was
 * reaped left its time in its parent's `cutime`/`cstime`, so a worker replaced during a run, or a
 * PostgreSQL backend that ended, still counts. Times are in clock ticks of USER_HZ, which Linux
 * fixes at 100 per second in /proc whatever the kernel's own tick rate: a reading has 10 ms
 * resolution, so divide deltas over thousands of requests, never a handful.
 */
import { readdirSync, readFileSync } from 'node:fs';

const MICROS_PER_TICK = 1_000_000 / 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  readonly ticks: number;
}

function statOf(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is stat(5)'s field 3 (state): ppid is field 4, utime…cstime fields 14–17.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { ppid: Number(fields[1]), ticks };
  } catch {
    return undefined; // it ended while we looked
  }
}

/** The parent of `pid` when it runs on this machine (a PostgreSQL backend on another host has no /proc entry here). */
export function localParentOf(pid: number): number | undefined {
  return statOf(String(pid))?.ppid;
}

/** CPU microseconds used so far by `root` and every process below it. */
export function treeCpuMicros(root: number): number {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = statOf(entry);
    if (stat) stats.set(Number(entry), stat);
  }
  const inTree = (pid: number): boolean => {
    for (let at: number | undefined = pid, hops = 0; at !== undefined && at > 0 && hops < 64; hops += 1) {
      if (at === root) return true;
      at = stats.get(at)?.ppid;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) ticks += stat.ticks;
  return ticks * MICROS_PER_TICK;
}

/** The machine's load averages (1, 5, 15 minutes), what `uptime` prints. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [one, five, fifteen];
}
