// Applies prisma/migrations/*/migration.sql in name order, each in its own transaction, and records each one in
// _prisma_migrations exactly as `prisma migrate deploy` would (checksum = hex SHA-256 of the file), so that
// `prisma migrate status` agrees. Used on boot for both database modes (docs/decisions/002-database-modes.md).
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { query, type SqlRunner } from "~/db/sql-runner.server";

/** Also importable from here, as before; its home is app/db/sql-runner.server.ts. */
export type { SqlRunner } from "~/db/sql-runner.server";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma", "migrations");

// Serialises concurrent boots (several app processes against one PostgreSQL).
const MIGRATION_LOCK_KEY = 72_917_001;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

/**
 * Applies every pending migration. Idempotent. A failing migration is rolled back as a whole and stops the run, so
 * the database stays as it was before that migration.
 */
export async function applyMigrations(db: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  // An up-to-date database is left alone without taking the lock or creating anything, so that the runtime role
  // (which may not CREATE: docs/decisions/028-database-roles.md) can open it.
  if ((await pendingMigrations(db, all)).length === 0) return [];
  return withMigrationLock(db, () => applyPendingHoldingTheLock(db, all));
}

/**
 * Runs `fn` holding the migration lock on `db`'s connection (which must be one dedicated connection: the lock is the
 * session's). Everything that changes the schema or its privileges at start-up runs under it: processes started at
 * once would otherwise race in the catalog itself, where PostgreSQL does not serialise them for us (two
 * `CREATE TABLE IF NOT EXISTS` both create, one fails on pg_type's unique index; two GRANTs on one table fail with
 * "tuple concurrently updated"), and that process would stop at start-up.
 */
export async function withMigrationLock<T>(db: SqlRunner, fn: () => Promise<T>): Promise<T> {
  await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    return await fn();
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}

async function applyPendingHoldingTheLock(db: SqlRunner, all: Migration[]): Promise<string[]> {
  // Created under the lock: another process may be creating it at this moment.
  await db.exec(CREATE_HISTORY_TABLE);
  const applied: string[] = [];
  const rows = await query<{ migration_name: string; checksum: string }>(
    db,
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  for (const migration of all) {
    const recorded = done.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied (checksum mismatch). Add a new migration instead.`,
        );
      }
      continue;
    }
    try {
      await db.exec(
        `BEGIN;\n${migration.sql}\n;` +
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) ` +
          `VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${migration.name.replace(/'/g, "''")}', 1);\nCOMMIT;`,
      );
    } catch (error) {
      await db.exec("ROLLBACK").catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${message}`);
    }
    applied.push(migration.name);
  }
  return applied;
}

/**
 * The migrations not yet applied (read-only: needs only SELECT on the history table). A checksum mismatch counts as
 * pending, so that applyMigrations reports it.
 */
export async function pendingMigrations(db: SqlRunner, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  const exists = await query<{ present: boolean }>(
    db,
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return all.map((m) => m.name);
  const rows = await query<{ migration_name: string; checksum: string }>(
    db,
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  return all.filter((m) => done.get(m.name) !== m.checksum).map((m) => m.name);
}
