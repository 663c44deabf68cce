// A database of the test's own, for tests that must start from empty tables (the replay seed refuses a database that
// holds data, and in PostgreSQL mode every test file of a run otherwise shares one database):
//   FIREBREAK_TEST_DB=postgresql → a new, uniquely named database on the local server, dropped by dispose();
//   otherwise → a new in-memory PGlite.
// Either way migrated, like the app's own database.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabaseAt, type Database } from "~/db/open-database.server";

const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface FreshDatabase extends Database {
  /** Closes the database and, on PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function openFreshDatabase(): Promise<FreshDatabase> {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
    const database = await openDatabaseAt({ dataDir: "memory://" });
    return { ...database, dispose: () => database.close() };
  }
  const name = `firebreak_fresh_${Date.now()}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await openDatabaseAt({ url: url.toString() });
  } catch (error) {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    throw error;
  }
  return {
    ...database,
    dispose: async () => {
      await database.close();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
