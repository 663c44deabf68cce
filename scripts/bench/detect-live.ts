// `npx tsx scripts/bench/detect-live.ts --database firebreak_detect_bench_20k [--minutes 60]`
//
// The live detector evaluation at scale, on the real PostgreSQL: the time to evaluate one closed minute (lock the
// cursor, read the lookback from the event tables, run the engine, write the minute's values and alerts), against the
// bare aggregation it cannot do without (one count of the sign-ins, top-ups and purchases in the same lookback), as a
// ratio, over minutes of the 7pay incident (2 July 2019 from 09:00 JST) on a simulated clock.
// Goal: an alert on screen ≤ 5 s after its minute closes; the close grace, the worker's poll, the evaluation's p95 and
// the banner's poll add up to what a lead waits.
//
// The database is a scratch one seeded with the replay:
//   createdb -h 127.0.0.1 -U postgres firebreak_detect_bench_20k
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak_detect_bench_20k npm run seed -- --customers 20000
// The bench writes detector rows into it (cursor, per-minute values, alerts): drop it with dropdb when done.
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_detect_bench_20k" },
    minutes: { type: "string", default: "60" },
  },
});
if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: lower-case letters, digits and _ only");
const ADMIN_URL = process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const url = new URL(ADMIN_URL);
url.pathname = `/${args.database}`;
process.env.DATABASE_URL = url.toString();

const { prisma, database } = await import("~/db.server");
const { evaluateNextMinute, CURSOR_NAME, CLOSE_GRACE_MS } = await import("~/detect/live-evaluation.server");
const { DETECT_POLL_MS } = await import("~/detect/live-worker.server");
const { ALERT_FEED_POLL_MS } = await import("~/detect/alert-feed.server");
const { DETECTORS, TAINT_MS } = await import("~/detect/definitions");
const { jst } = await import("~/incidents/replay/generator");

const MINUTE = 60_000;
const minutes = Number(args.minutes);
const start = jst(2019, 7, 2, 9, 0);
const lookback = Math.max(...DETECTORS.map((d) => d.windowMs)) + TAINT_MS;
const customers = await prisma.customer.count();

await prisma.detectorCursor.upsert({
  where: { name: CURSOR_NAME },
  create: { name: CURSOR_NAME, minute: new Date(start - MINUTE), updatedAt: new Date() },
  update: { minute: new Date(start - MINUTE) },
});
await prisma.detectorMinute.deleteMany({ where: { minute: { gte: new Date(start) } } });

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
const evaluation: number[] = [];
const bare: number[] = [];
let alerts = 0;
for (let k = 0; k < minutes; k++) {
  const minute = start + k * MINUTE;
  const from = new Date(minute - lookback);
  const until = new Date(minute + MINUTE);
  const t0 = performance.now();
  await prisma.$queryRaw`
    SELECT (SELECT count(*) FROM login_event WHERE occurred_at >= ${from} AND occurred_at < ${until}) AS signins,
           (SELECT count(*) FROM ledger_transaction WHERE kind = 'TOP_UP' AND occurred_at >= ${from} AND occurred_at < ${until}) AS topups,
           (SELECT count(*) FROM purchase WHERE occurred_at >= ${from} AND occurred_at < ${until}) AS purchases`;
  const t1 = performance.now();
  const outcome = await evaluateNextMinute(new Date(minute + MINUTE + CLOSE_GRACE_MS + 1));
  const t2 = performance.now();
  if (!outcome || outcome.minute !== minute) throw new Error(`minute ${new Date(minute).toISOString()} not evaluated`);
  alerts += outcome.raisedAlertIds.length;
  bare.push(t1 - t0);
  evaluation.push(t2 - t1);
}
const p50 = quantile(evaluation, 0.5);
const p95 = quantile(evaluation, 0.95);
const bareP50 = quantile(bare, 0.5);
console.log(
  `${customers.toLocaleString("en-US")} customers, ${minutes} minutes of 2 July 2019 from 09:00 JST, ${alerts} alerts raised`,
);
console.log(`evaluate one minute: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
console.log(`bare aggregation:    p50 ${bareP50.toFixed(1)} ms`);
console.log(`ratio (p50): ${(p50 / bareP50).toFixed(1)}×`);
console.log(
  `worst case from minute close to banner: ${((CLOSE_GRACE_MS + DETECT_POLL_MS + p95 + ALERT_FEED_POLL_MS) / 1000).toFixed(1)} s ` +
    "(close grace + worker poll + p95 + banner poll; goal ≤ 5 s)",
);
await database.close();
