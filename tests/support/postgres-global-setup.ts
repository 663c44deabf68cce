// PostgreSQL mode (FIREBREAK_TEST_DB=postgresql): names this run's databases and drops them all at the end.
// Each test file gets a fresh database of its own (tests/support/vitest-setup.ts), so files never see each other's
// rows, while the concurrency tests inside a file still run against a real server with a connection pool.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export default async function setup() {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
    process.env.FIREBREAK_DATA_DIR = "memory://";
    delete process.env.DATABASE_URL;
    return;
  }
  const prefix = `firebreak_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  process.env.FIREBREAK_TEST_DB_PREFIX = prefix;
  process.env.FIREBREAK_TEST_ADMIN_URL = ADMIN_URL;
  // Probe the server once, so a missing PostgreSQL fails the run with one clear line.
  const probe = new pg.Client({ connectionString: ADMIN_URL });
  await probe.connect();
  await probe.end();

  return async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${prefix}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  };
}
