// The process-wide database. Remix, scripts and tests import `prisma` (or `database`) from here; importing this module
// opens the database chosen by the environment and applies pending migrations (top-level await) before first use:
//   no DATABASE_URL → embedded PGlite under ./data/ (created on first use),
//   DATABASE_URL=postgresql://… → that server through @prisma/adapter-pg.
// Code that must choose its own database (the migrate CLI, fresh test databases) uses ~/db/open-database.server.
import { openDatabase, type Database } from "~/db/open-database.server";
import { backoffMs, isConnectionLoss } from "~/db/transient-errors";
import { env } from "~/env.server";

export {
  migrateDatabase,
  openDatabase,
  openDatabaseAt,
  type Database,
  type PoolClients,
  type Db,
  type DbTx,
  type Prisma,
} from "~/db/open-database.server";

// One database per process. Remix, scripts and tests all import `prisma` from here.
const globalForDb = globalThis as unknown as { firebreakDatabase?: Promise<Database> };
export function getDatabase(): Promise<Database> {
  globalForDb.firebreakDatabase ??= openWhenReachable();
  return globalForDb.firebreakDatabase;
}

// A process that starts before its database (a fresh deployment, a failover in progress) waits with backoff instead
// of exiting; any other failure (a bad migration, a refused password) stops start-up at once.
async function openWhenReachable(): Promise<Database> {
  const deadline = Date.now() + env().FIREBREAK_DB_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase();
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() >= deadline) throw error;
      const wait = Math.min(backoffMs(attempt, 250, 10_000) + 250, Math.max(0, deadline - Date.now()));
      console.warn(`[db] database not reachable yet (attempt ${attempt}); retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export const database = await getDatabase();
export const prisma = database.prisma;
/** The payment path's own pool (top-ups and purchases): see Database.walletPrisma. */
export const walletPrisma = database.walletPrisma;
/** Customers' sign-in, session checks, sign-out and reset links, with their audit rows: see Database.customerAuth. */
export const customerAuthDb = database.customerAuth;
