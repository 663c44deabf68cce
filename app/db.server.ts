// The process-wide database. Remix, scripts and tests import `prisma` (or `database`) from here; importing this module
// opens the database chosen by the environment and applies pending migrations (top-level await) before first use:
//   no DATABASE_URL → embedded PGlite under ./data/ (created on first use),
//   DATABASE_URL=postgresql://… → that server through @prisma/adapter-pg.
// Code that must choose its own database (the migrate CLI, fresh test databases) uses ~/db/open-database.server.
import { openDatabase, type Database } from "~/db/open-database.server";

export {
  migrateDatabase,
  openDatabase,
  openDatabaseAt,
  type Database,
  type Db,
  type DbTx,
  type Prisma,
} from "~/db/open-database.server";

// One database per process. Remix, scripts and tests all import `prisma` from here.
const globalForDb = globalThis as unknown as { firebreakDatabase?: Promise<Database> };
export function getDatabase(): Promise<Database> {
  globalForDb.firebreakDatabase ??= openDatabase();
  return globalForDb.firebreakDatabase;
}

export const database = await getDatabase();
export const prisma = database.prisma;
