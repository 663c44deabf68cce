// Runs in every test worker before the test file is imported, so ~/db.server opens the database chosen here: a copy
// of the run's migrated database (tests/support/global-setup.ts), of the file's own.
//   embedded: an in-memory PGlite per file, loaded from the run's migrated snapshot when the file first imports it;
//   postgresql: a database per file on the local server, copied from the run's template (dropped by the teardown).
import { installConsoleErrorCheck } from "./console-errors";
import { createPostgresDatabase, readEmbeddedSnapshot } from "./test-databases";

process.env.NODE_ENV = "test";
// The cheapest argon2 parameters (app/auth/password.server.ts); tests/unit/password-hashing.test.ts covers the policy's.
process.env.FIREBREAK_TEST_CHEAP_HASHING = "1";

if (process.env.FIREBREAK_TEST_DB === "postgresql") {
  const prefix = process.env.FIREBREAK_TEST_DB_PREFIX ?? `firebreak_test_${Date.now()}`;
  process.env.DATABASE_URL = (await createPostgresDatabase(prefix)).url;
} else {
  process.env.FIREBREAK_DATA_DIR = "memory://";
  delete process.env.DATABASE_URL;
  const snapshot = readEmbeddedSnapshot();
  if (snapshot) {
    // ~/db.server opens the process-wide database through `globalThis.firebreakDatabase ??= openDatabase()`. Answering
    // that read lazily keeps files that never touch the database (unit tests) from paying for one.
    let opened: Promise<unknown> | undefined;
    Object.defineProperty(globalThis, "firebreakDatabase", {
      configurable: true,
      get: () =>
        (opened ??= import("~/db/open-database.server").then(({ openDatabaseAt }) =>
          openDatabaseAt({ dataDir: "memory://", snapshot }),
        )),
      set: (value: Promise<unknown>) => {
        opened = value;
      },
    });
  }
}

// A test fails when the code under test reports an error on the console that the test did not announce with
// expectConsoleErrors (tests/support/console-errors.ts): a 500 caught by entry.server, a crashed worker, a job that
// failed for a reason nobody expected. Such a test can pass on what it asserts while the code underneath is broken.
installConsoleErrorCheck();
