import path from "node:path";
import { defineConfig } from "vitest/config";
import { EMBEDDED_INTEGRATION_FILES } from "./tests/support/embedded-files";
import { LongestFilesFirst } from "./tests/support/longest-files-first";

// Two database modes, one suite; the run migrates one database and each test file gets a copy of its own
// (tests/support/global-setup.ts, tests/support/vitest-setup.ts):
//   FIREBREAK_TEST_DB=embedded (default): an in-memory PGlite loaded from the migrated snapshot on first use.
//   FIREBREAK_TEST_DB=postgresql: a database on the local server made from the migrated template, all dropped at the
//   end of the run. Concurrency tests only mean something here (PGlite has one connection).
// FIREBREAK_TEST_SET=embedded narrows the run to the unit tests and the integration files named in
// tests/support/embedded-files.ts: the embedded stage of `npm test` (docs/decisions/058-embedded-stage-a-named-set.md).
const include =
  process.env.FIREBREAK_TEST_SET === "embedded"
    ? ["tests/unit/**/*.test.ts", ...EMBEDDED_INTEGRATION_FILES.map(({ file }) => file)]
    : ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"];

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include,
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/vitest-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    // The longest files start first, on a fresh clone too (tests/support/longest-files-first.ts).
    sequence: { sequencer: LongestFilesFirst },
  },
});
