// Runs in every test worker before the test file is imported, so ~/db.server opens the database chosen here.
//   embedded: an in-memory PGlite per file (files never share a data dir);
//   postgresql: a fresh database per file on the local server, named after the run (dropped by the global teardown).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { installConsoleErrorCheck } from "./console-errors";

process.env.NODE_ENV = "test";

if (process.env.FIREBREAK_TEST_DB === "postgresql") {
  const adminUrl = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const prefix = process.env.FIREBREAK_TEST_DB_PREFIX ?? `firebreak_test_${Date.now()}`;
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.FIREBREAK_DATA_DIR = "memory://";
  delete process.env.DATABASE_URL;
}

// A test fails when the code under test reports an error on the console that the test did not announce with
// expectConsoleErrors (tests/support/console-errors.ts): a 500 caught by entry.server, a crashed worker, a job that
// failed for a reason nobody expected. Such a test can pass on what it asserts while the code underneath is broken.
installConsoleErrorCheck();
