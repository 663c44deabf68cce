// The production console a spec drives, booted once per Playwright worker: a PostgreSQL database of its own (a copy of
// the run's migrated template), `scripts/start.ts` on it with NODE_ENV=production and no workers, and this worker's
// `~/db.server` pointed at the same database, so the spec can write fixtures and run jobs the way the worker process
// would. playwright.config.ts gives every spec file a project (and so a worker) of its own: `~/db.server` is a
// process-wide singleton, and a spec's rows and switches must not leak into the next spec's pages.
//
// The console listens on a port the operating system picks, so parallel runs on one machine never collide (the run's
// own embedded-database server keeps FIREBREAK_E2E_PORT). Needs `npm run build` and the local PostgreSQL.
import { randomBytes } from "node:crypto";
import { dropServerDatabase } from "../../support/postgres-admin";
import { ADMIN_URL, createPostgresDatabase } from "../../support/test-databases";
import { freePort, startConsole, stopConsole } from "./console-process";
import { runDatabasePrefix } from "./global-setup";
import { expect, test as base } from "./test";

export interface FirebreakConsole {
  /** Where the console answers, e.g. http://127.0.0.1:40123 */
  baseURL: string;
  /** The console's database, which this worker's `~/db.server` also uses. */
  databaseUrl: string;
}

/** Console settings a spec adds with `test.use({ consoleEnv: { … } })` (the audit signing key file, say). */
export type ConsoleEnv = Record<string, string>;

export const test = base.extend<object, { consoleEnv: ConsoleEnv; firebreak: FirebreakConsole }>({
  consoleEnv: [{}, { scope: "worker", option: true }],
  firebreak: [
    async ({ consoleEnv }, use, workerInfo) => {
      const spec = workerInfo.project.name.replace(/[^a-z0-9]+/gi, "_").toLowerCase();
      const { name, url: databaseUrl } = await createPostgresDatabase(`${runDatabasePrefix()}_${spec}`);
      const totpKey = randomBytes(32).toString("base64");
      const port = await freePort();
      const baseURL = `http://127.0.0.1:${port}`;
      const server = await startConsole(port, {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        FIREBREAK_TOTP_KEY: totpKey,
        FIREBREAK_COOKIE_SECRET: "end-to-end-test-cookie-secret-0123456789",
        FIREBREAK_INSECURE_COOKIES: "1", // plain http on localhost
        PUBLIC_BASE_URL: baseURL,
        // A production console has a read budget unless told otherwise; the specs search and open accounts as one
        // member at machine speed. The budget itself: tests/integration/read-budget*.test.ts.
        FIREBREAK_STAFF_READS_PER_HOUR: "0",
        ...consoleEnv,
      });

      // This worker's services (staff, fixtures, jobs) read the same settings as the console.
      process.env.DATABASE_URL = databaseUrl;
      process.env.FIREBREAK_TOTP_KEY = totpKey;
      process.env.PUBLIC_BASE_URL = baseURL;
      const { database } = await import("~/db.server");

      await use({ baseURL, databaseUrl });

      await database.close();
      await stopConsole(server);
      await dropServerDatabase(ADMIN_URL, name);
    },
    // Copying the template and starting the production build can be slow on a loaded machine (the console's own start
    // may take up to CONSOLE_START_TIMEOUT_MS in console-process.ts).
    { scope: "worker", timeout: 240_000 },
  ],
});

export { expect };
