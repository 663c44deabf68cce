// Where a test file's database comes from. The suite migrates once per run (tests/support/global-setup.ts) and every
// test file, and every openFreshDatabase(), starts from a copy of that migrated database:
//   PostgreSQL: CREATE DATABASE … TEMPLATE <the run's template>, a file-level copy made by the server;
//   embedded: a new in-memory PGlite loaded from a dump of the migrated data directory.
// Opening still runs the migration runner, which finds every migration recorded and applies none — so a migration
// added since the template was made is applied as usual, and the copy is checked against the committed files.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServerDatabase, databaseUrlOn } from "./postgres-admin";

export const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Environment handed from the global setup to the test workers. */
export const TEMPLATE_DB_ENV = "FIREBREAK_TEST_TEMPLATE_DB";
export const EMBEDDED_SNAPSHOT_ENV = "FIREBREAK_TEST_PGLITE_SNAPSHOT";

export function databaseUrl(name: string): string {
  return databaseUrlOn(ADMIN_URL, name);
}

/** A uniquely named database on the local server: a copy of the run's migrated template when there is one. */
export async function createPostgresDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const template = process.env[TEMPLATE_DB_ENV];
  await createServerDatabase(ADMIN_URL, name, template);
  return { name, url: databaseUrl(name) };
}

/** The migrated embedded data directory of this run, when the global setup made one. */
export function readEmbeddedSnapshot(): Blob | undefined {
  const file = process.env[EMBEDDED_SNAPSHOT_ENV];
  return file ? new Blob([readFileSync(file)]) : undefined;
}
