// `npx tsx scripts/bench/test-databases.ts [--runs 5] [--no-postgres]`: what a test file's database costs, the way the
// suite makes it now (a copy of one migrated database: docs/decisions/020-a-suite-that-migrates-once.md) against the
// way it did before (migrating a new database from nothing), measured alternately in the same run. Embedded: an
// in-memory PGlite opened from the migrated snapshot vs. opened empty and migrated. PostgreSQL (127.0.0.1:5432,
// trust): CREATE DATABASE … TEMPLATE vs. CREATE DATABASE + migrations. Also one argon2 hash at the production and at
// the test parameters.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { hash } from "@node-rs/argon2";
import pg from "pg";
import { ARGON2_OPTIONS, TEST_ARGON2_OPTIONS } from "~/auth/password.server";
import { applyMigrations } from "~/db/migrations.server";
import { openDatabaseAt } from "~/db/open-database.server";
import { dropServerDatabasesNamed } from "../../tests/support/postgres-admin";
import { ADMIN_URL, databaseUrl } from "../../tests/support/test-databases";
import { BENCH_SCRATCH_PREFIX } from "./lib/bench-database";
import { timed } from "./lib/checks";
import { median } from "./lib/stats";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, "no-postgres": { type: "boolean", default: false } },
});
const runs = Math.max(1, Number(values.runs));

async function compare(label: string, before: () => Promise<unknown>, after: () => Promise<unknown>) {
  const was: number[] = [];
  const now: number[] = [];
  for (let i = 0; i < runs; i++) {
    was.push((await timed(before)).ms);
    now.push((await timed(after)).ms);
  }
  const [b, a] = [median(was), median(now)];
  console.log(
    `${label}: before ${b.toFixed(0)} ms, now ${a.toFixed(0)} ms (median of ${runs}; ${(b / a).toFixed(1)}×)`,
  );
}

async function embedded() {
  const lite = new PGlite({ extensions: { pg_trgm } });
  await applyMigrations({
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await lite.query(text, params)).rows as T[] }),
    exec: (text) => lite.exec(text),
  });
  const snapshot = await lite.dumpDataDir("none");
  await lite.close();
  await compare(
    "embedded database per test file",
    async () => (await openDatabaseAt({ dataDir: "memory://" })).close(),
    async () => (await openDatabaseAt({ dataDir: "memory://", snapshot })).close(),
  );
}

async function postgres() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const prefix = `${BENCH_SCRATCH_PREFIX}_${randomBytes(3).toString("hex")}`;
  let n = 0;
  try {
    await admin.query(`CREATE DATABASE "${prefix}_template"`);
    const template = await openDatabaseAt({ url: databaseUrl(`${prefix}_template`) });
    await template.close();
    await compare(
      "PostgreSQL database per test file",
      async () => {
        const name = `${prefix}_${n++}`;
        await admin.query(`CREATE DATABASE "${name}"`);
        await (await openDatabaseAt({ url: databaseUrl(name) })).close();
      },
      async () => {
        const name = `${prefix}_${n++}`;
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${prefix}_template"`);
        await (await openDatabaseAt({ url: databaseUrl(name) })).close();
      },
    );
  } finally {
    await admin.end();
    await dropServerDatabasesNamed(ADMIN_URL, prefix);
  }
}

await compare(
  "argon2 hash (production vs test parameters)",
  () => hash("correct horse battery staple", ARGON2_OPTIONS),
  () => hash("correct horse battery staple", TEST_ARGON2_OPTIONS),
);
await embedded();
if (!values["no-postgres"]) await postgres();
