// What `npm start` (web, worker or both) and `npm run worker` share: starting the background workers with their
// heartbeat, and a graceful shutdown on SIGTERM / SIGINT (docs/decisions/030-process-roles.md):
//   1. readiness turns false and the listener closes (no new connections; idle keep-alive sockets are closed);
//   2. the workers stop claiming and finish or release what they hold (a job batch commits or rolls back, mail in
//      flight is recorded); requests in flight finish;
//   3. the heartbeat row is removed and the database closed; exit 0.
// If that takes longer than the deadline the process exits 1: what it held is recovered by lease takeover.
// A second signal exits at once (1).
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

type Stop = () => Promise<void>;

/** How often a draining server closes the connections that have gone idle since it stopped listening. */
const IDLE_SWEEP_MS = 100;

export async function startWorkerSide(): Promise<Stop> {
  // Imported only now: importing these opens the database.
  const { startBackgroundWorkers, backgroundWorkerNames } = await import("~/jobs/workers.server");
  const { startHeartbeat } = await import("~/ops/heartbeat.server");
  const stopWorkers = await startBackgroundWorkers();
  const stopHeartbeat = await startHeartbeat(`${hostname()}:${process.pid}:${randomUUID()}`, backgroundWorkerNames());
  return async () => {
    await stopWorkers();
    await stopHeartbeat();
  };
}

export function installGracefulShutdown(options: {
  name: string;
  server?: Server;
  stops: Stop[];
  deadlineMs: number;
  log: (message: string) => void;
}): { drain: (reason: string) => void } {
  let stopping = false;
  const shutdown = async (signal: string, fromSignal = true) => {
    if (stopping) {
      if (fromSignal) process.exit(1);
      return;
    }
    stopping = true;
    options.log(`${options.name}: ${signal} received, finishing claimed work (deadline ${options.deadlineMs} ms)`);
    const deadline = setTimeout(() => {
      options.log(`${options.name}: shutdown deadline passed; exiting, leases will hand unfinished work over`);
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    const { markDraining } = await import("~/ops/health.server");
    markDraining();
    // The event streams have been told to end (markDraining): their sockets, and those of requests finishing now,
    // become idle keep-alive connections, which close() alone would leave open until their keep-alive timeout.
    const closed = options.server
      ? new Promise<void>((resolve) => {
          const server = options.server!;
          const idle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
          server.close(() => {
            clearInterval(idle);
            resolve();
          });
          server.closeIdleConnections();
        })
      : Promise.resolve();
    try {
      await Promise.all(options.stops.map((stop) => stop()));
      await closed;
      const { database } = await import("~/db.server");
      await database.close();
      process.exit(0);
    } catch (error) {
      options.log(`${options.name}: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // A drain asked for by a cluster primary, not a signal: never the "second signal" that exits at once.
  return { drain: (reason) => void shutdown(reason, false) };
}
