// End-to-end tests in Debian's Chromium against the production build (`npm test` builds first). The webServer below
// serves tests/e2e/auth.spec.ts: `scripts/start.ts` on its own port with a fresh embedded database under
// ./data/e2e-<timestamp>. The embedded database belongs to one process at a time, so fixtures that need rows before
// the server starts are written by scripts chained in front of it (tests/e2e/support/prepare-*.ts) and handed to the
// spec through a JSON file. Every other spec gets a console on PostgreSQL from tests/e2e/support/console.ts.
import { readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Workers re-evaluate this file: keep one data directory for the whole run through the environment they inherit.
process.env.FIREBREAK_E2E_STAMP ??= String(Date.now());
const dataDir = path.resolve(`data/e2e-${process.env.FIREBREAK_E2E_STAMP}`);
process.env.FIREBREAK_E2E_FIXTURES ??= `${dataDir}.auth-fixtures.json`;

// FIREBREAK_E2E_PORT lets two runs share a machine; each run also keeps its artifacts in a folder of its own, since
// Playwright empties its output folder when a run starts.
const PORT = Number(process.env.FIREBREAK_E2E_PORT ?? 4123);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// One project per spec file. Playwright reuses a worker process only within a project, so each file gets a fresh
// process and so its own console (the worker-scoped fixture in tests/e2e/support/console.ts): ~/db.server is a
// process-wide singleton, and one spec's rows and engaged switches would otherwise show on the next spec's pages.
const specFiles = readdirSync(path.resolve("tests/e2e")).filter((name) => name.endsWith(".spec.ts"));

export default defineConfig({
  projects: specFiles.map((file) => ({ name: file.replace(/\.spec\.ts$/, ""), testMatch: file })),
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  // Migrates the PostgreSQL template every spec's console database is copied from; drops the run's databases after.
  globalSetup: "./tests/e2e/support/global-setup.ts",
  outputDir: `test-results/run-${process.env.FIREBREAK_E2E_STAMP}`,
  retries: 0,
  // Two specs at a time: a spec mostly waits (on its console's start, the browser, the page's polls), and every spec
  // has a console and a database of its own (ADR 050). FIREBREAK_E2E_WORKERS=1 runs them one after another.
  workers: Number(process.env.FIREBREAK_E2E_WORKERS ?? 2),
  // Generous: the test stages run side by side (ADR 050), and a test that takes 30 s alone on a busy machine took
  // over 120 s beside the Vitest stages there.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: `npx tsx tests/e2e/support/prepare-auth-fixtures.ts && npx tsx scripts/start.ts --port ${PORT}`,
    url: `${BASE_URL}/sign-in`,
    // A fresh embedded database is migrated (and the demo replay seeded) on first start.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      FIREBREAK_DATA_DIR: dataDir,
      FIREBREAK_E2E: "1",
      FIREBREAK_E2E_FIXTURES: process.env.FIREBREAK_E2E_FIXTURES,
      // The specs drive many searches and account views as one member at machine speed, in parallel; the per-member
      // read and export budgets are proved in tests/integration/read-budget*.test.ts.
      FIREBREAK_STAFF_READS_PER_HOUR: "0",
      FIREBREAK_STAFF_EXPORTS_PER_HOUR: "0",
      PORT: String(PORT),
      PUBLIC_BASE_URL: BASE_URL,
    },
  },
});
