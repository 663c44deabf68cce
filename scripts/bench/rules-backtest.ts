// `npx tsx scripts/bench/rules-backtest.ts [--customers 5000] [--runs 3]`: the backtest of the starter rule set on
// the 7pay replay, in a scratch in-memory PGlite database seeded for the run (or PostgreSQL with --postgresql).
// Prints the figures (fraud stopped, legitimate touched, precision/recall) and the backtest's time per run; goal:
// the default replay (5,000 customers, five weeks + the incident) in ≤ 3 s. Baseline in the same run: the same
// replay with an empty rule set (reading the events and computing nothing), so the ratio is the rules' own cost.
// `--database-url postgresql://…/db` runs on a database already seeded and migrated (a clone of the 1M template):
// nothing is seeded or dropped. Peak RSS and peak V8 heap (sampled every 100 ms) are printed with the times and the
// load average: memory must not grow with the length of the recording (ADR 046); run it under
// `NODE_OPTIONS=--max-old-space-size=…` to show the bound holds.
//
// Attacks the replay does not contain, to see whether the rules generalise: `--seed N` draws another replay (other
// victims, rings, amounts and timings), and `--attack-variant` rewrites the seeded recording before the backtest:
//   domestic        the attackers sign in through Japanese addresses (residential proxies): no foreign country;
//   unshared        one fresh device and one address per victim: no device or address shared across accounts;
//   domestic-unshared  both at once (only the account's own history is left to go on).
// The ground truth is unchanged (the same victims and fraudulent top-ups).
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createScratchDatabase, type ScratchDatabase } from "./lib/bench-database";
import { median } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "5000" },
    runs: { type: "string", default: "3" },
    postgresql: { type: "boolean", default: false },
    "database-url": { type: "string" },
    seed: { type: "string" },
    "attack-variant": { type: "string", default: "none" },
  },
});
const VARIANTS = ["none", "domestic", "unshared", "domestic-unshared"];
if (!VARIANTS.includes(args["attack-variant"]!)) {
  throw new Error(`--attack-variant must be one of ${VARIANTS.join(", ")}`);
}
const GOAL_MS = 3000;
const yen = (n: number) => `¥${n.toLocaleString("en-US")}`;
const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);

async function main() {
  const { openDatabaseAt } = await import("~/db/open-database.server");
  let scratch: ScratchDatabase | null = null;
  let database;
  if (args["database-url"]) {
    database = await openDatabaseAt({ url: args["database-url"] });
  } else if (args.postgresql) {
    scratch = await createScratchDatabase("rules");
    database = await openDatabaseAt({ url: scratch.url });
  } else {
    database = await openDatabaseAt({ dataDir: "memory://" });
  }
  try {
    const { seedDatabase } = await import("~/incidents/replay/seed.server");
    const { runBacktest } = await import("~/risk/backtest.server");
    const { STARTER_RULES } = await import("~/risk/starter-rules");
    if (!args["database-url"]) {
      const seeded = await seedDatabase(database, { customers: Number(args.customers), audit: false, seed: args.seed });
      console.log(
        `Seeded ${args.customers} customers (seed ${seeded.config.seed}) in ${(seeded.elapsedMs / 1000).toFixed(1)} s.`,
      );
      const variant = args["attack-variant"]!;
      const { attackerIps, attackerDevices } = seeded.groundTruth;
      await database.sqlTransaction(
        async (sql) => {
          if (variant.includes("domestic")) {
            await sql.query(`UPDATE login_event SET country = 'JP' WHERE ip = ANY($1::text[])`, [attackerIps]);
          }
          if (variant.includes("unshared")) {
            // Each victim's copy of a ring device gets its own fingerprint, each victim's ring address its own address.
            await sql.query(
              `UPDATE device SET fingerprint = fingerprint || '/' || customer_id::text WHERE fingerprint = ANY($1::text[])`,
              [attackerDevices],
            );
            await sql.query(
              `UPDATE login_event SET ip = '100.' || (64 + abs(hashtext(customer_id::text || ip)) % 64)::text || '.'
                 || (abs(hashtext(ip || customer_id::text)) % 256)::text || '.' || (abs(hashtext(customer_id::text)) % 256)::text
              WHERE ip = ANY($1::text[])`,
              [attackerIps],
            );
          }
          // Whole-table updates at a million customers: longer than a request's statement timeout.
        },
        { statementTimeoutMs: 0 },
      );
      if (variant !== "none") console.log(`Attack variant: ${variant}.`);
    } else if (args["attack-variant"] !== "none" || args.seed) {
      throw new Error("--seed and --attack-variant apply to a replay seeded for the run, not to --database-url");
    }
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampleHeap = () => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    };
    // The embedded database runs in this thread and can keep the event loop from reaching its timers for a whole run
    // (the peak then read 0 MiB): each run also samples on its way out.
    const sampler = setInterval(sampleHeap, 100);
    sampler.unref();
    const rules = STARTER_RULES.map((r, k) => ({ ...r, id: `starter-${k}`, version: 1 }));
    const time = async (set: typeof rules) => {
      const started = performance.now();
      const results = await database.sqlTransaction((sql) => runBacktest(sql, set));
      sampleHeap();
      return { results, ms: performance.now() - started };
    };
    const runs = Number(args.runs);
    const withRules: number[] = [];
    const baseline: number[] = [];
    let last;
    for (let k = 0; k < runs; k++) {
      baseline.push((await time([])).ms);
      last = await time(rules);
      withRules.push(last.ms);
    }
    const r = last!.results;
    console.log(
      `Starter rules on the replay (${r.topUpsReplayed.toLocaleString("en-US")} top-ups, ${r.eventsReplayed.toLocaleString("en-US")} events):`,
    );
    console.log(
      `  fraud (ground truth): ${r.groundTruth.topUps} top-ups, ${yen(r.groundTruth.yen)}, ${r.groundTruth.victims} victims`,
    );
    console.log(
      `  stopped: ${r.fraudStopped.topUps} top-ups, ${yen(r.fraudStopped.yen)} (${pct(r.recallYen)} of the yen), ${r.fraudStopped.victims} victims`,
    );
    console.log(
      `  legitimate touched: ${r.legitimateTouched.topUps} of ${r.legitimateTotal.topUps} top-ups (${pct(r.legitimateTouchedShare)}), ${yen(r.legitimateTouched.yen)}, ${r.legitimateTouched.customers} customers`,
    );
    console.log(
      `  precision ${pct(r.precision)}, recall (top-ups) ${pct(r.recallTopUps)}; outcomes ${JSON.stringify(r.matched.byOutcome)}`,
    );
    console.log(
      `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (before the first run: ${(rssBefore / 2 ** 20).toFixed(0)} MiB); peak heap ${(heapPeak / 2 ** 20).toFixed(0)} MiB (before: ${(heapBefore / 2 ** 20).toFixed(0)} MiB); load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
    // BENCH_SKIP_PER_RULE=1 leaves out each rule's own backtest (one more replay per rule: long at 1,000,000).
    for (const rule of process.env.BENCH_SKIP_PER_RULE ? [] : rules) {
      const alone = await time([rule]);
      const a = alone.results;
      console.log(
        `  ${rule.ruleKey.padEnd(28)} ${rule.outcome.padEnd(7)} fraud ${pct(a.recallYen).padStart(7)}  legit touched ${String(a.legitimateTouched.topUps).padStart(4)}  precision ${pct(a.precision)}`,
      );
    }
    const ms = median(withRules);
    console.log(
      `Backtest time: median ${Math.round(ms)} ms over ${runs} runs (baseline, no rules: ${Math.round(median(baseline))} ms; ratio ${(ms / median(baseline)).toFixed(2)}); goal ≤ ${GOAL_MS} ms: ${ms <= GOAL_MS ? "met" : "NOT met"}.`,
    );
  } finally {
    await database.close();
    await scratch?.drop();
  }
}

await main();
