// `npx tsx scripts/bench/account-view.ts [--database firebreak_load_1m] [--views 600] [--concurrency 8]`
//
// What one account view costs the web process and PostgreSQL, without HTTP or rendering: `loadAccountView` (its reads
// and its audit row) for customers drawn from the data, `--concurrency` at a time, and the CPU time per view of this
// process and of the database's backends (from /proc, Linux), the figures that carry over on a shared machine. The
// baseline, measured in the same run on the same pool and concurrency: reading the customer's row by primary key, the
// least any view must do; the ratios are a view's CPU to the baseline's. Run it in two checkouts, one after the
// other, to compare implementations. The database must be migrated and seeded (or a clone of a seeded one); each run
// adds `--views` audit rows. Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/…).
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { cpuMsOf, ownCpuMs } from "./lib/process-cpu";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_load_1m" },
    views: { type: "string", default: "600" },
    concurrency: { type: "string", default: "8" },
  },
});
if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: lower-case letters, digits and _ only");
const databaseUrl = new URL(process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
databaseUrl.pathname = `/${args.database}`;
process.env.DATABASE_URL = databaseUrl.toString();
// A benchmark prices the reads, not the per-member read budget a person would never reach (app/auth/read-budget.server.ts).
process.env.FIREBREAK_STAFF_READS_PER_HOUR = "0";
const VIEWS = Number(args.views);
const CONCURRENCY = Number(args.concurrency);

async function main() {
  const admin = new pg.Client({ connectionString: databaseUrl.toString() });
  await admin.connect();
  // Customers with money movements, so that the timeline and the balance have something to read.
  // A 0.1 % page sample spreads them over a big database; a small one (the default seed) has too few pages for it, so
  // there the whole table is read, in an order that does not follow the seed's.
  let { rows: customers } = await admin.query<{ id: string }>(
    `SELECT DISTINCT customer_id::text AS id FROM ledger_transaction TABLESAMPLE SYSTEM (0.1) REPEATABLE (7) LIMIT 400`,
  );
  if (customers.length < 400) {
    ({ rows: customers } = await admin.query<{ id: string }>(
      `SELECT id FROM (SELECT DISTINCT customer_id::text AS id FROM ledger_transaction) AS c ORDER BY md5(id) LIMIT 400`,
    ));
  }
  if (customers.length < 50) throw new Error(`only ${customers.length} customers with transactions: seed more`);
  const { loadAccountView } = await import("~/accounts/account-view.server");
  const { database } = await import("~/db.server");
  const { query } = await import("~/db/sql-runner.server");
  const ctx = {
    actor: { kind: "staff" as const, id: randomUUID(), role: "AGENT" as const },
    origin: { ip: "127.0.0.1", userAgent: "account-view bench", requestId: `bench-${randomUUID()}` },
  };
  const backendPids = async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows.map((r) => r.pid);

  /** Runs `once` for `count` customers, CONCURRENCY at a time; CPU ms per call of this process and of PostgreSQL. */
  async function measure(count: number, once: (id: string) => Promise<unknown>) {
    // Warm-up at the same concurrency, so that the pool's connections exist before the backends are listed.
    await Promise.all(customers.slice(0, CONCURRENCY * 4).map((c) => once(c.id)));
    const pids = await backendPids();
    const [node0, db0, started] = [ownCpuMs(), cpuMsOf(pids), performance.now()];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) await once(customers[next++ % customers.length]!.id);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { node: (ownCpuMs() - node0) / count, db: (cpuMsOf(pids) - db0) / count, perSecond: count / seconds };
  }

  const load = loadavg()[0]!;
  const base = await measure(VIEWS, (id) =>
    query(database.sql, `SELECT id, display_id, name, status FROM customer WHERE id = $1::uuid`, [id]),
  );
  const view = await measure(VIEWS, (id) => loadAccountView(ctx, id, { language: "ja" }));
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  // /proc counts CPU in clock ticks (10 ms): a short run's baseline can read 0, and a ratio to it says nothing.
  const ratio = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(1)}` : "× n/a (baseline under one clock tick)");
  console.log(
    `${args.database}: ${VIEWS} account views, ${CONCURRENCY} at a time (load average ${load.toFixed(2)} → ` +
      `${loadavg()[0]!.toFixed(2)})\n` +
      `  customer row by key (baseline): node ${ms(base.node)}, PostgreSQL ${ms(base.db)} per read; ` +
      `${base.perSecond.toFixed(0)}/s\n` +
      `  account view:                   node ${ms(view.node)}, PostgreSQL ${ms(view.db)} per view; ` +
      `${view.perSecond.toFixed(0)}/s · ${ratio(view.node, base.node)} and ${ratio(view.db, base.db)} ` +
      `the baseline's CPU`,
  );
  await admin.end();
  await database.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
