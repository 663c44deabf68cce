import path from "node:path";
import { defineConfig } from "vitest/config";

// Two database modes, one suite; the run migrates one database and each test file gets a copy of its own
// (tests/support/global-setup.ts, tests/support/vitest-setup.ts):
//   FIREBREAK_TEST_DB=embedded (default): an in-memory PGlite loaded from the migrated snapshot on first use.
//   FIREBREAK_TEST_DB=postgresql: a database on the local server made from the migrated template, all dropped at the
//   end of the run. Concurrency tests only mean something here (PGlite has one connection).
export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/vitest-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
