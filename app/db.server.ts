// The one place that constructs a Prisma client. It picks the database from the environment:
//   no DATABASE_URL → embedded PGlite under ./data/ (created and migrated on first use),
//   DATABASE_URL=postgresql://… → that server through @prisma/adapter-pg.
// Either way, pending migrations are applied before the first query (see app/db/migrations.server.ts).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "~/env.server";
import { PrismaClient } from "~/generated/prisma/client";
import { applyMigrations, type SqlRunner } from "~/db/migrations.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/** A client or an interactive transaction: domain helpers that must run inside the caller's transaction take this. */
export type DbTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL on the same database, for migrations and bulk paths where Prisma's per-call overhead dominates. */
  sql: SqlRunner;
  mode: "embedded" | "postgresql";
  /**
   * Runs `fn` inside BEGIN … COMMIT on one dedicated connection (ROLLBACK if it throws). `sql.query` on PostgreSQL
   * goes through a pool, so consecutive calls may land on different connections; bulk loaders that need one atomic
   * transaction (and `SET LOCAL`) use this instead (docs/decisions/006-bulk-replay-loader.md).
   */
  sqlTransaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function openEmbedded(dataDir: string): Database {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const lite = new PGlite(inMemory ? undefined : path.resolve(dataDir));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  const sql: SqlRunner = {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await lite.query(text, params)).rows as T[] }),
    exec: (text) => lite.exec(text),
  };
  return {
    prisma,
    sql,
    mode: "embedded",
    sqlTransaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: async <T>(text: string, params?: unknown[]) => ({ rows: (await tx.query(text, params)).rows as T[] }),
          exec: (text) => tx.exec(text),
        }),
      ),
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
  const sql: SqlRunner = {
    query: async <T>(text: string, params?: unknown[]) => {
      const result = await pool.query(text, params as unknown[]);
      return { rows: result.rows as T[] };
    },
    exec: async (text) => {
      // A multi-statement script must run on one connection (BEGIN … COMMIT).
      const client = await pool.connect();
      try {
        return await client.query(text);
      } finally {
        client.release();
      }
    },
  };
  return {
    prisma,
    sql,
    mode: "postgresql",
    sqlTransaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async <T>(text: string, params?: unknown[]) => ({
            rows: (await client.query(text, params as unknown[])).rows as T[],
          }),
          exec: (text) => client.query(text),
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export async function openDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const { DATABASE_URL, FIREBREAK_DATA_DIR } = env();
  return openDatabaseAt({ url: DATABASE_URL, dataDir: FIREBREAK_DATA_DIR }, options);
}

/**
 * Opens (and by default migrates) a database at an explicit location instead of the environment's: `url` for
 * PostgreSQL, else `dataDir` for PGlite ("memory://" for a throwaway in-memory one). For tests and tools that need a
 * database of their own; the app uses `getDatabase()`.
 */
export async function openDatabaseAt(
  location: { url?: string; dataDir?: string },
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const DATABASE_URL = location.url;
  const database = DATABASE_URL
    ? openPostgres(DATABASE_URL)
    : openEmbedded(location.dataDir ?? env().FIREBREAK_DATA_DIR);
  if (options.migrate ?? true) {
    // On PostgreSQL the migration runner needs one dedicated connection for its advisory lock.
    if (database.mode === "postgresql") {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await applyMigrations({
          query: async (text, params) => ({ rows: (await client.query(text, params as unknown[])).rows }),
          exec: (text) => client.query(text),
        });
      } finally {
        await client.end();
      }
    } else {
      await applyMigrations(database.sql);
    }
  }
  return database;
}

// One database per process. Remix, scripts and tests all import `prisma` from here.
const globalForDb = globalThis as unknown as { firebreakDatabase?: Promise<Database> };
export function getDatabase(): Promise<Database> {
  globalForDb.firebreakDatabase ??= openDatabase();
  return globalForDb.firebreakDatabase;
}

export const database = await getDatabase();
export const prisma = database.prisma;
