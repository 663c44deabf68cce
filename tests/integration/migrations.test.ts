// The migration runner: idempotent, records what `prisma migrate deploy` would, and all-or-nothing per migration.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations, type Migration } from "~/db/migrations.server";
import { openDatabaseAt, type Database } from "~/db/open-database.server";

const opened: Database[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function freshEmbedded() {
  const db = await openDatabaseAt({ dataDir: "memory://" }, { migrate: false });
  opened.push(db);
  return db;
}

const migration = (name: string, sql: string): Migration => ({
  name,
  sql,
  checksum: createHash("sha256").update(sql).digest("hex"),
});

// Every case opens an embedded database of its own whatever the stage's engine, so the PostgreSQL stage would only run
// the embedded stage's cases again (the file is in tests/support/embedded-files.ts); on PostgreSQL the runner migrates
// every run's template (tests/support/global-setup.ts). Skipped there (docs/decisions/068-the-sweep-split-by-route.md).
describe.skipIf(process.env.FIREBREAK_TEST_DB === "postgresql")("migrations", () => {
  it("applies the committed history once and records checksums like prisma migrate deploy", async () => {
    const db = await freshEmbedded();
    const all = await readMigrations();
    expect(await applyMigrations(db.sql)).toEqual(all.map((m) => m.name));
    expect(await applyMigrations(db.sql)).toEqual([]);
    const { rows } = await db.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows).toEqual(all.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("a failing migration leaves the database as it was", async () => {
    const db = await freshEmbedded();
    const good = migration("001_good", "CREATE TABLE kept (id int);");
    const bad = migration("002_bad", "CREATE TABLE half_done (id int);\nINSERT INTO missing_table VALUES (1);");
    await expect(applyMigrations(db.sql, [good, bad])).rejects.toThrow(/002_bad failed and was rolled back/);
    const { rows } = await db.sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('kept', 'half_done')`,
    );
    expect(rows.map((r) => r.name)).toEqual(["kept"]);
    const recorded = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(["001_good"]);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const db = await freshEmbedded();
    await applyMigrations(db.sql, [migration("001_a", "CREATE TABLE a (id int);")]);
    await expect(applyMigrations(db.sql, [migration("001_a", "CREATE TABLE a (id bigint);")])).rejects.toThrow(
      /changed after it was applied/,
    );
  });
});
