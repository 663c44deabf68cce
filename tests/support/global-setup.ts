// Runs once per Vitest run, before any worker starts: migrates one database for the run, which every test file then
// copies (tests/support/test-databases.ts), instead of every file migrating its own from nothing.
//   FIREBREAK_TEST_DB=postgresql: a template database on the local server; the teardown drops it and every database
//     the run created (all named after the run).
//   otherwise (embedded): a migrated in-memory PGlite, dumped to a file in the system's temporary directory.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { applyMigrations } from "~/db/migrations.server";
import { createServerDatabase, dropServerDatabasesNamed } from "./postgres-admin";
import { ADMIN_URL, EMBEDDED_SNAPSHOT_ENV, TEMPLATE_DB_ENV, databaseUrl } from "./test-databases";

async function snapshotEmbedded(): Promise<() => void> {
  const lite = new PGlite({ extensions: { pg_trgm } });
  await applyMigrations({
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await lite.query(text, params)).rows as T[] }),
    exec: (text) => lite.exec(text),
  });
  const dump = await lite.dumpDataDir("none");
  await lite.close();
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-test-"));
  const file = path.join(dir, "migrated.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[EMBEDDED_SNAPSHOT_ENV] = file;
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Migrates `<prefix>_template` once; the Playwright run's global setup makes its template the same way. */
export async function createTemplate(prefix: string): Promise<void> {
  const template = `${prefix}_template`;
  await createServerDatabase(ADMIN_URL, template);
  // Migrated on a connection of its own, closed before any copy: PostgreSQL refuses to copy a database in use.
  const client = new pg.Client({ connectionString: databaseUrl(template) });
  await client.connect();
  try {
    await applyMigrations({
      query: async (text, params) => ({ rows: (await client.query(text, params as unknown[])).rows }),
      exec: (text) => client.query(text),
    });
  } finally {
    await client.end();
  }
  process.env[TEMPLATE_DB_ENV] = template;
}

export default async function setup() {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
    process.env.FIREBREAK_DATA_DIR = "memory://";
    delete process.env.DATABASE_URL;
    return snapshotEmbedded();
  }
  const prefix = `firebreak_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  process.env.FIREBREAK_TEST_DB_PREFIX = prefix;
  process.env.FIREBREAK_TEST_ADMIN_URL = ADMIN_URL;
  // The first connection doubles as the probe: a missing PostgreSQL fails the run with one clear line.
  await createTemplate(prefix);

  return async () => {
    await dropServerDatabasesNamed(ADMIN_URL, prefix);
  };
}
