// CPU time of processes, read from /proc (Linux): on a machine shared with other work, what a request costs the web
// processes and PostgreSQL is steadier than its latency or the requests per second.
import { readFileSync } from "node:fs";
import type { SqlRunner } from "~/db/sql-runner.server";

/** Linux reports CPU time in clock ticks of 10 ms (USER_HZ = 100). */
const MS_PER_TICK = 10;

/** User + system CPU time of one process, in ms; 0 once it has gone. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/** A process and its descendants, CPU time summed: the primary and the web processes it forked. */
export function treeCpuMs(root: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${root}/task/${root}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone, or no children file: the root alone
  }
  return processCpuMs(root) + children.reduce((sum, pid) => sum + treeCpuMs(pid), 0);
}

/** CPU time so far of each backend connected to the database `sql` is on (its own excepted), by process id. */
export async function backendCpu(sql: Pick<SqlRunner, "query">): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return new Map(rows.map((row) => [row.pid, processCpuMs(row.pid)]));
}

/** CPU time the backends used since `before`; a connection closed meanwhile is left out rather than subtracted. */
export async function backendCpuSince(sql: Pick<SqlRunner, "query">, before: Map<number, number>): Promise<number> {
  let used = 0;
  for (const [pid, ms] of await backendCpu(sql)) used += ms - (before.get(pid) ?? 0);
  return used;
}

/** CPU time of a set of processes, summed (those gone meanwhile count 0). */
export function cpuMsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

/** This process's own CPU time in ms (the benchmark's clients, or an in-process server). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
