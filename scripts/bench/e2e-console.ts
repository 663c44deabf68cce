// `npx tsx scripts/bench/e2e-console.ts [--runs 3]`: what one Playwright spec's console costs before its first test,
// the way the fixture makes it now (tests/e2e/support/console.ts: CREATE DATABASE … TEMPLATE of a database the run
// migrated once, then the production console on it) against the way every spec did before (CREATE DATABASE, then the
// console migrating it from nothing at start-up). Measured alternately in the same run, as a ratio. Needs
// `npm run build` and PostgreSQL on 127.0.0.1:5432 (trust); drops every database it made.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { freePort, startConsole, stopConsole } from "../../tests/e2e/support/console-process";
import { createTemplate } from "../../tests/support/global-setup";
import { createServerDatabase, dropServerDatabasesNamed } from "../../tests/support/postgres-admin";
import { ADMIN_URL, databaseUrl } from "../../tests/support/test-databases";
import { BENCH_SCRATCH_PREFIX } from "./lib/bench-database";
import { median } from "./lib/stats";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));
const prefix = `${BENCH_SCRATCH_PREFIX}_e2e_${Date.now()}_${randomBytes(3).toString("hex")}`;

async function bootOnce(name: string, template: string | null): Promise<number> {
  const started = performance.now();
  await createServerDatabase(ADMIN_URL, name, template ?? undefined);
  const port = await freePort();
  const child = await startConsole(port, {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl(name),
    FIREBREAK_TOTP_KEY: randomBytes(32).toString("base64"),
    FIREBREAK_COOKIE_SECRET: "benchmark-cookie-secret-0123456789abcdef",
    FIREBREAK_INSECURE_COOKIES: "1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // As the end-to-end fixture starts it (tests/e2e/support/console.ts): no per-member read budget.
    FIREBREAK_STAFF_READS_PER_HOUR: "0",
  });
  const elapsed = performance.now() - started;
  await stopConsole(child);
  return elapsed;
}

async function main() {
  const templateStarted = performance.now();
  await createTemplate(prefix);
  const templateMs = performance.now() - templateStarted;
  const template = `${prefix}_template`;
  const before: number[] = [];
  const after: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      before.push(await bootOnce(`${prefix}_fresh_${i}`, null));
      after.push(await bootOnce(`${prefix}_copy_${i}`, template));
    }
  } finally {
    await dropServerDatabasesNamed(ADMIN_URL, prefix);
  }
  const [b, a] = [median(before), median(after)];
  console.log(`template migrated once per run: ${templateMs.toFixed(0)} ms`);
  console.log(
    `a spec's console ready: before ${b.toFixed(0)} ms, now ${a.toFixed(0)} ms (median of ${runs}; ${(b / a).toFixed(1)}×)`,
  );
}

await main();
