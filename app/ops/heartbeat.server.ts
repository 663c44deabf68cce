// A worker process says "alive" every HEARTBEAT_INTERVAL_MS by writing its row in worker_heartbeat; /readyz calls the
// workers healthy while some row is younger than HEARTBEAT_STALE_MS. Written by the worker process itself (a
// system action on operational state, not a staff mutation, so it is not audited).
import { hostname } from "node:os";
import { prisma } from "~/db.server";
import { isConnectionLoss } from "~/db/transient-errors";

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** Three missed beats. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** Rows of processes that died long ago are removed by any live worker. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export async function beat(instanceId: string, workers: string[], startedAt: Date, at = new Date()): Promise<void> {
  await prisma.workerHeartbeat.upsert({
    where: { instanceId },
    create: { instanceId, host: hostname(), pid: process.pid, workers, startedAt, beatAt: at },
    update: { beatAt: at, workers },
  });
  await prisma.workerHeartbeat.deleteMany({ where: { beatAt: { lt: new Date(at.getTime() - FORGET_AFTER_MS) } } });
}

/** Beats now and then every interval; the returned function stops and removes this process's row. */
export async function startHeartbeat(instanceId: string, workers: string[]): Promise<() => Promise<void>> {
  const startedAt = new Date();
  const tick = () =>
    beat(instanceId, workers, startedAt).catch((error: unknown) => {
      const report = isConnectionLoss(error) ? console.warn : console.error;
      report(`heartbeat: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    });
  await tick();
  const timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await prisma.workerHeartbeat.deleteMany({ where: { instanceId } }).catch(() => undefined);
  };
}

export async function freshWorkerCount(at = new Date()): Promise<number> {
  return prisma.workerHeartbeat.count({ where: { beatAt: { gte: new Date(at.getTime() - HEARTBEAT_STALE_MS) } } });
}
