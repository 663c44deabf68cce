// `npx tsx scripts/bench/navigation.ts [--database firebreak_navigation_bench] [--customers 20000] [--build]
//                                       [--requests 150]`
//
// What one client-side navigation costs the server under single fetch (ADR 054), on the real PostgreSQL, over HTTP
// (the express perimeter, the session check, the loaders, turbo-stream). Each case is measured against what the same
// navigation asked before single fetch, in the same run and interleaved request by request, so a busy machine slows
// both alike:
//   - one page loader (an account's view, from the search): before, one `?_data` request ran that loader alone; now
//     `<path>.data` runs it and the root loader again (the signed-in member and the kill-switch banner stay fresh).
//     Baseline: the same `.data` request limited to the page's loader with `_routes`, i.e. the old work.
//   - two nested loaders (an incident's timeline, from the incident list): before, two requests in parallel, each
//     through the perimeter and the session check; now one request.
// It prints p50 / p95 latency, this process's CPU per navigation (the server runs in it; PostgreSQL's is not counted)
// and the response size, with ratios. Goal: a one-loader navigation costs at most 1.5× its baseline (p50 and CPU); a
// two-loader navigation costs less CPU than its baseline.
//
// The database is a scratch one seeded with the 7pay replay; --build creates and seeds it. It is kept afterwards: drop
// it with dropdb when done. Run `npx remix build` first: the server under test is build/index.js, served in this
// process. Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { ensureBenchDatabase, seedIfEmpty } from "./lib/bench-database";
import { signInBenchMember } from "./lib/bench-staff";
import { percentile } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_navigation_bench" },
    customers: { type: "string", default: "20000" },
    build: { type: "boolean", default: false },
    requests: { type: "string", default: "150" },
  },
});
const REQUESTS = Number(args.requests);
const WARMUP = 10;
const GOAL_ONE_LOADER_RATIO = 1.5;

const bench = { name: args.database, build: args.build, customers: Number(args.customers) };

interface Sample {
  ms: number;
  cpuMs: number;
  bytes: number;
}

/** Runs `send` (one navigation: one or more requests) and measures it; fails on anything but a 200. */
async function measure(send: () => Promise<Response[]>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const responses = await send();
  const bodies = await Promise.all(responses.map((r) => r.arrayBuffer()));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  for (const response of responses) {
    if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}`);
  }
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes: bodies.reduce((sum, b) => sum + b.byteLength, 0) };
}

function report(label: string, samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  const row = { p50: percentile(ms, 50), p95: percentile(ms, 95), cpu: percentile(cpu, 50), bytes: samples[0]!.bytes };
  console.log(
    `${label.padEnd(52)} p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms  ` +
      `CPU p50 ${row.cpu.toFixed(2).padStart(5)} ms  ${String(row.bytes).padStart(6)} B`,
  );
  return row;
}

async function main() {
  process.env.DATABASE_URL = await ensureBenchDatabase(bench);
  // One log line per request would bury the report.
  process.env.FIREBREAK_LOG_LEVEL ??= "warn";
  const { database, prisma } = await import("~/db.server");
  await seedIfEmpty(database, bench);
  const { startHttpApp } = await import("../../tests/support/http-app");
  const { dataPath } = await import("../../tests/support/single-fetch");

  const customer = await prisma.customer.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } });
  const incident = await prisma.incident.findFirstOrThrow({ orderBy: { openedAt: "desc" }, select: { id: true } });
  const app = await startHttpApp({ mode: "production" });
  const lead = await signInBenchMember(app, { role: "SECURITY_LEAD", displayName: "Navigation Bench" });

  const account = `/accounts/${customer.id}`;
  const timeline = `/incidents/${incident.id}/timeline`;
  const cases = {
    accountBefore: () => Promise.all([lead.get(dataPath(account, ["routes/accounts.$customerId._index"]))]),
    accountNow: () => Promise.all([lead.get(dataPath(account))]),
    timelineBefore: () =>
      Promise.all([
        lead.get(dataPath(timeline, ["routes/incidents.$incidentId"])),
        lead.get(dataPath(timeline, ["routes/incidents.$incidentId.timeline"])),
      ]),
    timelineNow: () => Promise.all([lead.get(dataPath(timeline))]),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((key) => [key, [] as Sample[]])) as Record<
    keyof typeof cases,
    Sample[]
  >;
  const order = Object.keys(cases) as (keyof typeof cases)[];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    // A different case first each round: none always runs on a cache the one before warmed.
    for (let j = 0; j < order.length; j++) {
      const key = order[(i + j) % order.length]!;
      const sample = await measure(cases[key]);
      if (i >= WARMUP) samples[key].push(sample);
    }
  }
  await app.close();

  console.log(
    `\n${REQUESTS} navigations of each kind, interleaved; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  const accountBefore = report("account view: the page's loader only (before)", samples.accountBefore);
  const accountNow = report("account view: single fetch, root + page (now)", samples.accountNow);
  const timelineBefore = report("incident timeline: 2 requests in parallel (before)", samples.timelineBefore);
  const timelineNow = report("incident timeline: single fetch, 1 request (now)", samples.timelineNow);
  const one = { ms: accountNow.p50 / accountBefore.p50, cpu: accountNow.cpu / accountBefore.cpu };
  const two = { ms: timelineNow.p50 / timelineBefore.p50, cpu: timelineNow.cpu / timelineBefore.cpu };
  console.log(`\none loader:  now / before  p50 ${one.ms.toFixed(2)}×  CPU ${one.cpu.toFixed(2)}×`);
  console.log(`two loaders: now / before  p50 ${two.ms.toFixed(2)}×  CPU ${two.cpu.toFixed(2)}×`);
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `GOAL one-loader navigation ≤ ${GOAL_ONE_LOADER_RATIO}× its baseline (p50 and CPU): ` +
      met(one.ms <= GOAL_ONE_LOADER_RATIO && one.cpu <= GOAL_ONE_LOADER_RATIO),
  );
  console.log(`GOAL two-loader navigation uses less CPU than its two requests: ${met(two.cpu < 1)}`);
  await database.close();
}

await main();
