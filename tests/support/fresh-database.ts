// A database of the test's own, for tests that must start from empty tables (the replay seed refuses a database that
// holds data, and the test file's own database already holds the rows of the file's other tests):
//   FIREBREAK_TEST_DB=postgresql → a new, uniquely named database on the local server, dropped by dispose();
//   otherwise → a new in-memory PGlite.
// Either way migrated, like the app's own database (copied from the run's migrated database when there is one).
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { dropServerDatabase } from "./postgres-admin";
import { ADMIN_URL, createPostgresDatabase, readEmbeddedSnapshot } from "./test-databases";

export interface FreshDatabase extends Database {
  /** Closes the database and, on PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

export async function openFreshDatabase(): Promise<FreshDatabase> {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") {
    const database = await openDatabaseAt({ dataDir: "memory://", snapshot: readEmbeddedSnapshot() });
    return { ...database, dispose: () => database.close() };
  }
  // Named after the run when there is one, so the run's teardown drops it even if dispose() is never reached.
  // (PostgreSQL truncates names at 63 bytes: keep the suffix short.)
  const { name, url } = await createPostgresDatabase(`${process.env.FIREBREAK_TEST_DB_PREFIX ?? "firebreak_fresh"}_f`);
  const drop = () => dropServerDatabase(ADMIN_URL, name);
  let database: Database;
  try {
    database = await openDatabaseAt({ url });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    ...database,
    dispose: async () => {
      await database.close();
      await drop();
    },
  };
}
