// `npx tsx scripts/bench/detect-live.ts --database firebreak_detect_bench_20k [--minutes 60] [--rounds 2]`
//
// The live detector evaluation at scale, on the real PostgreSQL, while the simulator (`npm run simulate`) writes
// top-ups and purchases into the same database:
//
// 1. Replay minutes: the time to evaluate one closed minute (lock the cursor, read the lookback from the event tables,
//    run the engine, write the minute's values and alerts) against the bare aggregation it cannot do without (one
//    count of the sign-ins, top-ups and purchases in the same lookback), as a ratio, over minutes of the 7pay incident
//    (2 July 2019 from 09:00 JST) on a simulated clock.
// 2. Live rounds on the wall clock (about 13 minutes each: a burst must leave the detector's window before the next): the detector worker and the console's alert feed (the one poll every open page's
//    stream shares) run in this process; a burst of failed sign-ins from one IP is written into a fresh minute, and
//    the bench measures from that minute's close to the feed handing the new alert to its listeners — what an open
//    console page receives over Server-Sent Events. Goal: ≤ 5 s.
//
// The database is a scratch one seeded with the replay, e.g. a clone of a seeded template:
//   createdb -h 127.0.0.1 -U postgres -T <seeded template> firebreak_detect_bench
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak_detect_bench npm run db:migrate
// The bench writes detector rows, sign-ins and simulated customers into it: drop it with dropdb when done.
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_detect_bench_20k" },
    minutes: { type: "string", default: "60" },
    rounds: { type: "string", default: "2" },
    "no-simulate": { type: "boolean", default: false },
  },
});
if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: lower-case letters, digits and _ only");
const ADMIN_URL = process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const url = new URL(ADMIN_URL);
url.pathname = `/${args.database}`;
process.env.DATABASE_URL = url.toString();

// The simulator writes into the same database for the whole run (a child process, as in production).
const { spawn } = await import("node:child_process");
const simulator = args["no-simulate"]
  ? null
  : spawn("npx", ["tsx", "scripts/simulate.ts", "--interval", "20", "--customers", "200", "--no-color"], {
      env: { ...process.env },
      stdio: ["ignore", "ignore", "inherit"],
      // Its own process group: npx does not pass a signal on to the script it runs, so the group is what is stopped.
      detached: true,
    });
const stopSimulator = () => {
  if (simulator?.pid && simulator.exitCode === null) process.kill(-simulator.pid, "SIGTERM");
};
// However the bench ends (a thrown error included), the simulator ends with it.
process.on("exit", stopSimulator);
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
  `${customers.toLocaleString("en-US")} customers, ${minutes} minutes of 2 July 2019 from 09:00 JST, ${alerts} alerts raised` +
    (simulator ? ", simulator writing" : ""),
);
console.log(`evaluate one minute: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
console.log(`bare aggregation:    p50 ${bareP50.toFixed(1)} ms`);
console.log(`ratio (p50): ${(p50 / bareP50).toFixed(1)}×`);
console.log(
  `worst case from minute close to banner: ${((CLOSE_GRACE_MS + DETECT_POLL_MS + p95 + ALERT_FEED_POLL_MS) / 1000).toFixed(1)} s ` +
    "(close grace + worker poll + p95 + banner poll; goal ≤ 5 s)",
);

// ── Live rounds on the wall clock ──
const { startDetectWorker } = await import("~/detect/live-worker.server");
const { subscribeToAlerts } = await import("~/detect/alert-feed.server");
const { failedSignInRate } = await import("~/detect/definitions");
const { DAY_MS } = await import("~/detect/seasonal-baseline");
const rounds = Number(args.rounds);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const victims = (await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM customer ORDER BY id LIMIT 40`).map(
  (r) => r.id,
);

// The live minutes start from now; two weeks of quiet history for the failed-sign-in detector around this time of day
// put it past its warm-up (the clone's recorded history is of 2019).
const liveStart = Math.floor(Date.now() / MINUTE) * MINUTE;
await prisma.detectAlert.updateMany({ where: { endedAt: null }, data: { endedAt: new Date() } });
await prisma.detectorCursor.update({ where: { name: CURSOR_NAME }, data: { minute: new Date(liveStart - MINUTE) } });
const history = [];
for (let d = 1; d <= 14; d++) {
  for (let m = -60; m < 60 + 3 * rounds; m++) {
    history.push({ detector: failedSignInRate.key, minute: new Date(liveStart - d * DAY_MS + m * MINUTE), value: 0 });
  }
}
await prisma.detectorMinute.createMany({ data: history, skipDuplicates: true });

const seenAt = new Map<string, number>();
const unsubscribe = subscribeToAlerts((list) => {
  for (const a of list) if (!seenAt.has(a.id)) seenAt.set(a.id, Date.now());
});
const stopWorker = startDetectWorker();
const latencies: number[] = [];
for (let round = 0; round < rounds; round++) {
  // A fresh minute: the burst lands in its first half.
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE;
  await sleep(minute + 5_000 - Date.now());
  // Whatever is still open (an earlier run's burst) ends now, so this burst's minute raises an alert of its own.
  await prisma.detectAlert.updateMany({
    where: { detector: failedSignInRate.key, endedAt: null },
    data: { endedAt: new Date(), acknowledgedAt: new Date() },
  });
  const ip = `198.51.100.${10 + round}`;
  await prisma.loginEvent.createMany({
    data: victims.map((customerId, k) => ({
      customerId,
      ip,
      country: "JP",
      success: false,
      newDevice: false,
      occurredAt: new Date(minute + 5_000 + k * 50),
    })),
  });
  const close = minute + MINUTE;
  let alert: { id: string } | null = null;
  while (Date.now() < close + 60_000) {
    alert = await prisma.detectAlert.findFirst({
      where: { detector: failedSignInRate.key, minute: new Date(minute) },
      select: { id: true },
    });
    if (alert && seenAt.has(alert.id)) break;
    await sleep(100);
  }
  if (!alert || !seenAt.has(alert.id)) throw new Error(`round ${round + 1}: no alert reached the feed within a minute`);
  const latency = seenAt.get(alert.id)! - close;
  latencies.push(latency);
  console.log(`live round ${round + 1}: alert on the feed ${(latency / 1000).toFixed(2)} s after its minute closed`);
  // The next burst waits until this one has left the detector's window (else the minute after ending this alert,
  // still above, would raise another).
  if (round + 1 < rounds) await sleep(minute + failedSignInRate.windowMs + 2 * MINUTE - Date.now());
}
await stopWorker();
unsubscribe();
if (latencies.length > 0) {
  console.log(
    `live: minute close → alert on the console's feed: max ${(Math.max(...latencies) / 1000).toFixed(2)} s, ` +
      `median ${(quantile(latencies, 0.5) / 1000).toFixed(2)} s over ${latencies.length} rounds (goal ≤ 5 s)`,
  );
}
stopSimulator();
await database.close();
