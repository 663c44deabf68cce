// /healthz and /readyz. Liveness says only "this process answers" (a load balancer restarts it otherwise). Readiness
// says whether it should receive traffic: the database answers, its migrations are the ones this build expects, some
// worker process is alive, and the process is not shutting down. Answers carry check names and one-word states,
// never error text (which could name hosts or users).
import { database } from "~/db.server";
import { pendingMigrations, readMigrations, type Migration } from "~/db/migrations.server";
import { isDraining } from "~/ops/draining.server";
import { freshWorkerCount } from "~/ops/heartbeat.server";

export type CheckState = "ok" | "fail";
export interface Readiness {
  ready: boolean;
  checks: { database: CheckState; migrations: CheckState; workers: CheckState; accepting: CheckState };
}

const DATABASE_CHECK_TIMEOUT_MS = 2_000;

const holder = globalThis as unknown as { firebreakMigrations?: Promise<Migration[]> };

/** Set on SIGTERM: readiness turns false so the proxy stops routing here while in-flight requests finish. */
export { isDraining, markDraining } from "~/ops/draining.server";

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function check(fn: () => Promise<boolean>): Promise<CheckState> {
  try {
    return (await withTimeout(fn(), DATABASE_CHECK_TIMEOUT_MS)) ? "ok" : "fail";
  } catch {
    return "fail";
  }
}

export async function checkReadiness(): Promise<Readiness> {
  // The migrations this build ships with do not change while it runs: read the folder once.
  holder.firebreakMigrations ??= readMigrations();
  const migrations = await holder.firebreakMigrations;
  const databaseState = await check(async () => (await database.sql.query("SELECT 1")).rows.length === 1);
  const checks = {
    database: databaseState,
    migrations:
      databaseState === "ok"
        ? await check(async () => (await pendingMigrations(database.sql, migrations)).length === 0)
        : ("fail" as const),
    workers: databaseState === "ok" ? await check(async () => (await freshWorkerCount()) > 0) : ("fail" as const),
    accepting: isDraining() ? ("fail" as const) : ("ok" as const),
  };
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}
