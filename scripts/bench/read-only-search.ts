// `npx tsx scripts/bench/read-only-search.ts [--database firebreak_load_1m] [--rounds 6] [--searches 400]
//                                           [--concurrency 4]`
//
// What the caller search's statements cost around them, before and after ADR 062, interleaved round by round in one
// process so a busy machine slows both alike: the same searches (a phone, a display ID, a full name + birth year, a
// kana name + phone last 4, an e-mail, in turn) from `--concurrency` callers at once,
// - in one transaction per search, its settings sent with BEGIN and ended by COMMIT (as before ADR 062), and
// - on connections that start read-only with the settings as session defaults (`database.readOnlySql`, as now),
// each on a pool of the same size. Reports searches/s and the CPU time per search of this process and of the
// database's backends (Linux), and the ratio of the second to the first. No HTTP, session or audit row: only the
// search's own round trips. The database must be seeded (`npm run seed`, or a clone of a seeded one).
import { parseArgs } from "node:util";
import pg from "pg";
import { benchDatabaseUrl } from "./lib/bench-database";
import { sampleCallers, whatTheCallerSays } from "./lib/callers";
import { backendCpu, backendCpuSince, ownCpuMs } from "./lib/process-cpu";
import { loadAverage } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_load_1m" },
    rounds: { type: "string", default: "6" },
    searches: { type: "string", default: "400" },
    concurrency: { type: "string", default: "4" },
  },
});
const databaseUrl = benchDatabaseUrl(args.database);
process.env.DATABASE_URL = databaseUrl;
const ROUNDS = Number(args.rounds);
const SEARCHES = Number(args.searches);
const CONCURRENCY = Number(args.concurrency);

async function main() {
  const { getDatabase } = await import("~/db.server");
  const { pgConnectionRunner } = await import("~/db/sql-runner.server");
  const { parseSearchQuery } = await import("~/accounts/search-query.server");
  const { searchCustomers } = await import("~/accounts/search.server");
  const { SEARCH_STATEMENT_TIMEOUT_MS } = await import("~/accounts/caller-search.server");
  const database = await getDatabase();
  if (database.mode !== "postgresql") throw new Error("this benchmark needs PostgreSQL");
  const { rows } = await database.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM customer");
  const samples = await sampleCallers(database.sql, { customers: Number(rows[0]!.n), size: 400, seed: 11 });
  const terms = samples.map((s, k) => {
    const parsed = parseSearchQuery(whatTheCallerSays(s, k));
    if (!parsed.ok) throw new Error(`bench query refused: ${whatTheCallerSays(s, k)}`);
    return parsed.terms;
  });

  // Before ADR 062: a transaction per search on a pool of the same size as readOnlySql's.
  const transactionPool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const inTransaction = async (k: number) => {
    const client = await transactionPool.connect();
    try {
      await client.query(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${SEARCH_STATEMENT_TIMEOUT_MS}; ` +
          "SET LOCAL plan_cache_mode = force_generic_plan",
      );
      await searchCustomers(pgConnectionRunner(client), terms[k % terms.length]!);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  const readOnly = database.readOnlySql({ statementTimeoutMs: SEARCH_STATEMENT_TIMEOUT_MS, genericPlans: true });
  const onReadOnlyConnections = async (k: number) => {
    await searchCustomers(readOnly, terms[k % terms.length]!);
  };

  const arms = [
    { name: "transaction per search (before)", run: inTransaction, perSecond: [] as number[], node: 0, db: 0, n: 0 },
    {
      name: "read-only connections (ADR 062)",
      run: onReadOnlyConnections,
      perSecond: [] as number[],
      node: 0,
      db: 0,
      n: 0,
    },
  ];
  const monitor = new pg.Client({ connectionString: databaseUrl });
  await monitor.connect();
  const monitorRunner = { query: (text: string) => monitor.query(text) } as never;
  console.log(`Database ${args.database}; ${CONCURRENCY} callers at once; load average ${loadAverage()}.`);
  for (let round = 0; round <= ROUNDS; round++) {
    // Round 0 warms both (plans, connections, caches) and is not counted; then the order alternates.
    const order = round % 2 === 0 ? arms : [...arms].reverse();
    for (const arm of order) {
      let next = 0;
      const cpu = { node: ownCpuMs(), db: await backendCpu(monitorRunner) };
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < SEARCHES) await arm.run(round * SEARCHES + next++);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      if (round === 0) continue;
      arm.perSecond.push(SEARCHES / seconds);
      arm.node += ownCpuMs() - cpu.node;
      arm.db += await backendCpuSince(monitorRunner, cpu.db);
      arm.n += SEARCHES;
    }
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  for (const arm of arms) {
    console.log(
      `${arm.name.padEnd(34)} median ${median(arm.perSecond).toFixed(0)} searches/s · CPU per search: this process ` +
        `${(arm.node / arm.n).toFixed(2)} ms, PostgreSQL ${(arm.db / arm.n).toFixed(2)} ms`,
    );
  }
  const [before, after] = arms;
  console.log(
    `ratio (after ÷ before): searches/s ×${(median(after!.perSecond) / median(before!.perSecond)).toFixed(2)}, CPU ` +
      `×${((after!.node + after!.db) / after!.n / ((before!.node + before!.db) / before!.n)).toFixed(2)}; ` +
      `load average ${loadAverage()}.`,
  );
  await monitor.end();
  await transactionPool.end();
  await database.close();
}

await main();
