// `npx tsx scripts/bench/dashboard.ts [--database firebreak_dashboard_bench_1m] [--customers 1000000] [--build]
//                                    [--requests 30] [--viewers 50]`
//
// The incident dashboard at scale, on the real PostgreSQL: server time of the first paint (the dashboard document over
// HTTP: perimeter, session check, the loader's aggregation queries, React render) and of one live update (the shared
// feed's change probe, the recomputation and the hand-off to every open stream), each against the bare aggregation
// queries (loadCommandFigures called directly) measured in the same run, as a ratio. Goals: first paint ≤ 300 ms and
// each live update ≤ 100 ms of server time; the update's cost does not grow with the number of viewers: the run counts
// the SQL statements one update sends with one viewer and with --viewers, which must be equal.
//
// The database is a scratch one seeded with the 7pay replay; --build creates and seeds it (minutes at 1,000,000). It is
// kept afterwards: drop it with dropdb when done. Run `npx remix build` first: the server under test is build/index.js,
// served in this process. Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureBenchDatabase, seedIfEmpty } from "./lib/bench-database";
import { signInBenchMember } from "./lib/bench-staff";
import { percentile } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_dashboard_bench_1m" },
    customers: { type: "string", default: "1000000" },
    build: { type: "boolean", default: false },
    requests: { type: "string", default: "30" },
    viewers: { type: "string", default: "50" },
  },
});
const REQUESTS = Number(args.requests);
const VIEWERS = Number(args.viewers);
const WARMUP = 3;
const GOAL_FIRST_PAINT_MS = 300;
const GOAL_UPDATE_MS = 100;

const bench = { name: args.database, build: args.build, customers: Number(args.customers) };

function summary(label: string, samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const result = { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  console.log(
    `${label.padEnd(44)} p50 ${result.p50.toFixed(1).padStart(7)} ms   p95 ${result.p95.toFixed(1).padStart(7)} ms`,
  );
  return result;
}

// Every statement this process sends to PostgreSQL goes through pg's Client.query (Prisma's adapter and the raw SQL
// runner alike): counting there is counting the database work.
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...callArgs: unknown[]) {
  statements += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, callArgs);
} as typeof pg.Client.prototype.query;

async function counted(fn: () => Promise<unknown>): Promise<number> {
  const before = statements;
  await fn();
  return statements - before;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function main() {
  process.env.DATABASE_URL = await ensureBenchDatabase(bench);
  const { database, prisma } = await import("~/db.server");
  const { loadCommandFigures } = await import("~/incidents/command/figures.server");
  const live = await import("~/incidents/command/live-feed.server");
  const { startHttpApp } = await import("../../tests/support/http-app");
  const { createStaffContext, newKey } = await import("../../tests/support/ledger-fixtures");
  const { reverseCharge } = await import("~/ledger/reverse-charge.server");

  const customers = await seedIfEmpty(database, bench);
  const incident = await prisma.incident.findFirstOrThrow({ orderBy: { openedAt: "desc" } });
  const victims = await prisma.incidentCase.count({ where: { incidentId: incident.id } });
  const transactions = await prisma.ledgerTransaction.count();
  console.log(
    `Database ${args.database}: ${customers.toLocaleString("en-US")} customers, ` +
      `${transactions.toLocaleString("en-US")} ledger transactions; ${incident.code} with ${victims} victims.`,
  );

  // Baseline: the aggregation queries alone, in this process.
  for (let i = 0; i < WARMUP; i++) await loadCommandFigures(incident.id);
  const bare: number[] = [];
  for (let i = 0; i < REQUESTS; i++) bare.push(await time(() => loadCommandFigures(incident.id)));

  // First paint: the dashboard document over HTTP, served in this process (server time, no network).
  live.setPollInterval(0);
  const app = await startHttpApp({ mode: "production" });
  const lead = await signInBenchMember(app, { role: "SECURITY_LEAD", displayName: "Bench Lead" });
  const paint = async () => {
    const response = await lead.get(`/incidents/${incident.id}`);
    const html = await response.text();
    if (response.status !== 200 || !html.includes('data-testid="stolen-yen"')) {
      throw new Error(`dashboard answered ${response.status}`);
    }
  };
  for (let i = 0; i < WARMUP; i++) await paint();
  const firstPaint: number[] = [];
  for (let i = 0; i < REQUESTS; i++) firstPaint.push(await time(paint));

  const charges = await prisma.ledgerTransaction.findMany({
    where: {
      kind: "TOP_UP",
      occurredAt: { gte: incident.openedAt },
      customer: { incidentCases: { some: { incidentId: incident.id } } },
      reversedBy: { none: {} },
    },
    take: REQUESTS + WARMUP + 2,
    select: { id: true, customerId: true },
  });
  const runner = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const reverseOne = (charge: { id: string; customerId: string }) =>
    reverseCharge(runner, {
      customerId: charge.customerId,
      transactionId: charge.id,
      amount: 1,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });

  // Database work of one update for one viewer, then for VIEWERS viewers: statements sent by the poll that delivers it.
  let delivered = 0;
  const statementsPerUpdate = async (viewers: number) => {
    const unsubscribe = Array.from({ length: viewers }, () => live.subscribeToIncident(incident.id, () => undefined));
    await live.pollFeedNow(incident.id);
    await reverseOne(charges.pop()!);
    const n = await counted(() => live.pollFeedNow(incident.id));
    for (const u of unsubscribe) u();
    return n;
  };
  const statementsOne = await statementsPerUpdate(1);
  const statementsMany = await statementsPerUpdate(VIEWERS);

  // Live updates: VIEWERS subscribers on the shared feed; each round moves money (a reversal) and runs one poll.
  const unsubscribes = Array.from({ length: VIEWERS }, () =>
    live.subscribeToIncident(incident.id, (view) => {
      JSON.stringify(view); // what each stream does with it
      delivered += 1;
    }),
  );
  await live.pollFeedNow(incident.id);
  // First paint again, now that someone watches (the feed is open and nothing changed): one probe, no aggregation.
  const watchedPaint: number[] = [];
  for (let i = 0; i < REQUESTS; i++) watchedPaint.push(await time(paint));
  const updates: number[] = [];
  const idle: number[] = [];
  for (const [i, charge] of charges.entries()) {
    await reverseOne(charge);
    const before = delivered;
    const ms = await time(() => live.pollFeedNow(incident.id));
    if (delivered - before !== VIEWERS) throw new Error(`update reached ${delivered - before} of ${VIEWERS} viewers`);
    if (i >= WARMUP) updates.push(ms);
    if (i >= WARMUP) idle.push(await time(() => live.pollFeedNow(incident.id)));
  }
  for (const unsubscribe of unsubscribes) unsubscribe();
  await app.close();

  console.log("");
  const b = summary("bare aggregation queries (loadCommandFigures)", bare);
  const f = summary("first paint: dashboard over HTTP", firstPaint);
  const w = summary("first paint while the feed is open", watchedPaint);
  const u = summary(`live update: probe + recompute → ${VIEWERS} viewers`, updates);
  summary("idle poll: probe only (nothing changed)", idle);
  console.log("");
  console.log(
    `first paint p95 ${f.p95.toFixed(1)} ms (goal ≤ ${GOAL_FIRST_PAINT_MS} ms: ${f.p95 <= GOAL_FIRST_PAINT_MS ? "met" : "NOT met"}), ` +
      `${(f.p95 / b.p95).toFixed(2)}× the bare queries; while watched p95 ${w.p95.toFixed(1)} ms ` +
      `(${(w.p95 / b.p95).toFixed(2)}×)`,
  );
  console.log(
    `live update p95 ${u.p95.toFixed(1)} ms (goal ≤ ${GOAL_UPDATE_MS} ms: ${u.p95 <= GOAL_UPDATE_MS ? "met" : "NOT met"}), ` +
      `${(u.p95 / b.p95).toFixed(2)}× the bare queries; one recomputation per update for ${VIEWERS} viewers`,
  );
  console.log(
    `statements per update: ${statementsOne} with 1 viewer, ${statementsMany} with ${VIEWERS} viewers ` +
      `(${statementsOne === statementsMany ? "the same" : "DIFFERENT"})`,
  );
  await database.close();
}

await main();
