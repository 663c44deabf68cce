// `npx tsx scripts/bench/rules-live.ts [--customers 5000] [--rounds 5] [--per-round 200]`: what the live risk rules
// add to a top-up, on the real PostgreSQL, in a scratch database seeded with the 7pay replay (dropped after).
// Baseline in the same run: the same top-ups with no active rule. Rounds alternate the two (rules live / none), so a
// busy neighbour on the machine slows both alike. Goal: ≤ 2 ms added at p99 with 20 active rules, at
// 1,000,000 customers (pass --customers 1000000: the seed alone takes about 12 minutes).
// `--database-url postgresql://…/db` runs on a database already seeded and migrated (a clone of the 1M template):
// nothing is seeded or dropped; the bench's rules are left disabled in it.
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createScratchDatabase } from "./lib/bench-database";
import { percentile } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "5000" },
    rounds: { type: "string", default: "5" },
    "per-round": { type: "string", default: "200" },
    "database-url": { type: "string" },
  },
});
const GOAL_ADDED_P99_MS = 2;
const ACTIVE_RULES = 20;

async function main() {
  if (args["database-url"]) {
    process.env.DATABASE_URL = args["database-url"];
    const { database } = await import("~/db.server");
    try {
      await run(false);
    } finally {
      await database.close();
    }
    return;
  }
  const scratch = await createScratchDatabase("firebreak_bench_rules_live");
  process.env.DATABASE_URL = scratch.url;
  try {
    await run(true);
  } finally {
    const { database } = await import("~/db.server");
    await database.close();
    await scratch.drop();
  }
}

async function run(seed: boolean) {
  const { database, prisma } = await import("~/db.server");
  const { seedDatabase } = await import("~/incidents/replay/seed.server");
  const { topUp } = await import("~/wallet/top-up.server");
  const { STARTER_RULES } = await import("~/risk/starter-rules");
  if (seed) {
    const seeded = await seedDatabase(database, { customers: Number(args.customers), audit: false });
    console.log(`Seeded ${args.customers} customers in ${(seeded.elapsedMs / 1000).toFixed(1)} s.`);
  }

  const sources = await prisma.fundingSource.findMany({
    where: { kind: "CREDIT_CARD", customer: { status: "ACTIVE" } },
    select: { id: true, customerId: true },
    take: 2000,
  });
  // Twenty live rules: the starter set plus monitor-only variants with other thresholds (none blocks these customers,
  // so every top-up does the full work: rules read, features computed, every rule evaluated).
  const staffId = randomUUID();
  const rules = [
    ...STARTER_RULES.map((r) => ({ ...r, outcome: "ALLOW" as const })),
    ...Array.from({ length: ACTIVE_RULES - STARTER_RULES.length }, (_, k) => ({
      ruleKey: `variant-${k}`,
      name: `variant ${k}`,
      condition: `topup_yen_24h >= ${200_000 + k * 10_000} and device_accounts_24h >= ${3 + (k % 4)}`,
      outcome: "ALLOW" as const,
      channel: null,
      eventKind: "TOP_UP" as const,
    })),
  ];
  await prisma.riskRule.createMany({
    data: rules.map((r) => ({
      ruleKey: r.ruleKey,
      version: 1,
      name: r.name,
      condition: r.condition,
      outcome: r.outcome,
      channel: r.channel,
      eventKind: r.eventKind,
      status: "DISABLED" as const,
      createdById: staffId,
      createdAt: new Date(),
    })),
  });
  const setRules = (status: "ACTIVE" | "DISABLED") => prisma.riskRule.updateMany({ data: { status } });

  const samples = { none: [] as number[], rules: [] as number[] };
  let n = 0;
  const once = async () => {
    const source = sources[n++ % sources.length]!;
    const started = performance.now();
    await topUp({ customerId: source.customerId, fundingSourceId: source.id, amount: 1000 });
    return performance.now() - started;
  };
  for (let k = 0; k < 50; k++) await once(); // warm-up
  const perRound = Number(args["per-round"]);
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const mode of ["none", "rules"] as const) {
      await setRules(mode === "rules" ? "ACTIVE" : "DISABLED");
      for (let k = 0; k < perRound; k++) samples[mode].push(await once());
    }
  }
  const decisions = await prisma.riskDecision.count();
  const none = [...samples.none].sort((a, b) => a - b);
  const live = [...samples.rules].sort((a, b) => a - b);
  const fmt = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `Top-ups: ${none.length} with no rule, ${live.length} with ${ACTIVE_RULES} live rules (${decisions} decisions recorded).`,
  );
  console.log(`  no rules:  p50 ${fmt(percentile(none, 50))}  p99 ${fmt(percentile(none, 99))}`);
  console.log(`  20 rules:  p50 ${fmt(percentile(live, 50))}  p99 ${fmt(percentile(live, 99))}`);
  const added = percentile(live, 99) - percentile(none, 99);
  console.log(
    `  added at p99: ${fmt(added)} (p50 ${fmt(percentile(live, 50) - percentile(none, 50))}); goal ≤ ${GOAL_ADDED_P99_MS} ms: ${added <= GOAL_ADDED_P99_MS ? "met" : "NOT met"}.`,
  );
}

await main();
