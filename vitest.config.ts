import path from "node:path";
import { defineConfig } from "vitest/config";

// Two database modes, one suite:
//   FIREBREAK_TEST_DB=embedded (default): every test file gets its own in-memory PGlite, migrated on import.
//   FIREBREAK_TEST_DB=postgresql: every test file gets a fresh database of its own on the local server
//   (tests/support/vitest-setup.ts), all dropped at the end of the run (tests/support/global-setup.ts).
//   Concurrency tests only mean something here (PGlite has one connection).
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
