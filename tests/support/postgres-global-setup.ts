// Creates one fresh PostgreSQL database per test run when FIREBREAK_TEST_DB=postgresql, and drops it at the end.
import { randomBytes } from "node:crypto";
import pg from "pg";

const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export default async function setup() {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
    process.env.FIREBREAK_DATA_DIR = "memory://";
    delete process.env.DATABASE_URL;
    return;
  }
  const name = `firebreak_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();

  return async () => {
    const cleanup = new pg.Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
}
