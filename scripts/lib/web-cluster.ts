// Several web processes on one port (docs/decisions/042-several-web-processes.md). The primary — the process
// `npm start` runs — prepares the database, runs the background workers when its role says so (once, never one copy
// per web process), and forks N web processes with node:cluster; they all listen on the same port and the primary
// hands each new connection to the next one. A web process that dies is replaced (after a pause if they keep dying).
// SIGTERM / SIGINT: the primary asks every web process to drain (each closes its listener and finishes its requests),
// stops its own workers, waits for them all, and exits 0 only when every one of them stopped cleanly.
import cluster, { type Worker } from "node:cluster";

const SHUTDOWN = "firebreak:shutdown";

// A page's render and a request's headers and rows are short-lived objects: a young generation of V8's default size
// fills several times a second under load and each scavenge copies what is still in flight. 32 MB semi-spaces took
// the collector's share of a web process's busy time from about 8 % to 6 % (ADR 093). An operator's own
// --max-semi-space-size (on the command line or in NODE_OPTIONS) wins.
const YOUNG_GENERATION_FLAG = "--max-semi-space-size";
const YOUNG_GENERATION_MB = 32;

/** The Node flags a forked web process starts with: the primary's, plus the young generation's size if not set. */
export function webProcessExecArgv(primary: readonly string[], nodeOptions: string | undefined): string[] {
  const set = [...primary, ...(nodeOptions ?? "").split(/\s+/)].some((flag) =>
    // V8 reads "-" and "_" in a flag's name alike.
    flag.replaceAll("_", "-").startsWith(YOUNG_GENERATION_FLAG),
  );
  return set ? [...primary] : [...primary, `${YOUNG_GENERATION_FLAG}=${YOUNG_GENERATION_MB}`];
}
const RESTART_PAUSE_MS = 1_000;

type Stop = () => Promise<void>;

export interface WebClusterOptions {
  processes: number;
  /** The background workers' stop, when this role runs them (in the primary). */
  stops: Stop[];
  deadlineMs: number;
  /** Called once every web process listens, with the port they share. */
  onListening: (port: number) => void;
  log: (message: string) => void;
}

export async function runWebCluster(options: WebClusterOptions): Promise<void> {
  // Imported only now: it opens the database (for the figures /metrics reads from it).
  const { serveClusterMetrics } = await import("~/ops/cluster-metrics.server");
  serveClusterMetrics();
  let stopping = false;
  let announced = false;
  const listening = new Set<number>();
  const exits = new Map<number, Promise<number | null>>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    exits.set(
      worker.id,
      new Promise((resolve) => worker.once("exit", (code, signal) => resolve(signal ? null : code))),
    );
    worker.once("listening", (address) => {
      listening.add(worker.id);
      if (!announced && listening.size >= options.processes) {
        announced = true;
        options.onListening(address.port);
      }
    });
    worker.once("exit", (code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      exits.delete(worker.id);
      options.log(`web process ${worker.process.pid} exited (${signal ?? code}); starting another`);
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_PAUSE_MS).unref();
    });
    return worker;
  };
  cluster.setupPrimary({ execArgv: webProcessExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  for (let i = 0; i < options.processes; i++) fork();

  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    options.log(`${signal} received: draining ${exits.size} web processes (deadline ${options.deadlineMs} ms)`);
    const deadline = setTimeout(() => {
      options.log("shutdown deadline passed; exiting");
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    const { markDraining } = await import("~/ops/health.server");
    markDraining();
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send({ type: SHUTDOWN });
    }
    try {
      const [codes] = await Promise.all([
        Promise.all(exits.values()),
        Promise.all(options.stops.map((stop) => stop())),
      ]);
      const { database } = await import("~/db.server");
      await database.close();
      const clean = codes.every((code) => code === 0);
      if (!clean) options.log(`a web process did not stop cleanly (exit codes ${codes.join(", ")})`);
      process.exit(clean ? 0 : 1);
    } catch (error) {
      options.log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * In a web process: run `drain` when the primary asks. A terminal's Ctrl-C reaches the web processes directly as
 * well; the primary's request then finds the drain already under way, and does not count as a second signal.
 */
export function onPrimaryShutdown(drain: () => void): void {
  process.on("message", (message: unknown) => {
    if (typeof message === "object" && message !== null && (message as { type?: unknown }).type === SHUTDOWN) drain();
  });
}
