// `npx tsx scripts/bench/load.ts [--database firebreak_load_1m] [--seconds 60] [--staff 20,100] [--processes N]
//                                 [--port 4208] [--data] [--rate R] [--cpu-prof dir]`
//
// Throughput of the console as staff use it during an incident: the production build started the way an operator
// starts it (`scripts/start.ts --role web` with NODE_ENV=production and FIREBREAK_WEB_PROCESSES=N, default one per
// CPU), N staff signed in over HTTP (password + TOTP), each searching for a caller drawn from the data and opening
// that caller's account, back to back, for --seconds per staff count. Reports requests/s, p50/p95/p99, errors, the
// machine's load average, and the CPU time per request of the web processes and of the database's backends (Linux).
// The baseline, measured in the same run before the load: the same searches as SQL on one pg connection (no HTTP,
// session, audit row or rendering), sequentially; the ratio is HTTP requests/s to bare searches/s. Goal at 20 staff
// on 1,000,000 customers: ≥ 200 requests/s, p95 ≤ 100 ms; at 100 staff: no error.
//
// A request is one page as a browser loads it (the HTML document: root and route loaders and the server render);
// --data asks for the route's loader data instead, as the console's own client-side navigations do.
// --rate R paces the staff instead of running them back to back: together they start R requests/s on a fixed schedule
// (each member one request every staff/R seconds, members staggered), still one request in flight per member. Latency
// is then counted from when a request was due, not from when it was sent, so a console that falls behind its schedule
// shows the wait in p95 instead of quietly slowing the staff down (coordinated omission, as wrk2 measures). Back to
// back is a saturation test whose latency is the queue of 20 people who never pause; the paced run asks the goal's own
// question: at 200 requests/s, how long does a member wait?
// The database must be migrated and seeded (`npm run seed`, or a clone of a seeded one); the bench adds its staff.
// --cpu-prof writes a V8 CPU profile of each console process into dir when the bench stops it
// (`npx tsx scripts/bench/cpu-profile.ts <file>` sums it up). Run `npx remix build` first. Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/…).
import http from "node:http";
import { loadavg, availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { benchDatabaseUrl } from "./lib/bench-database";
import { signInBenchStaff } from "./lib/bench-staff";
import { sampleCallers, whatTheCallerSays } from "./lib/callers";
import { startConsoleProcesses } from "./lib/console-processes";
import { HttpStatusError, makeGet } from "./lib/http-get";
import { cpuMsOf, ownCpuMs } from "./lib/process-cpu";
import { percentile } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_load_1m" },
    seconds: { type: "string", default: "60" },
    staff: { type: "string", default: "20,100" },
    processes: { type: "string", default: String(availableParallelism()) },
    port: { type: "string", default: "4208" },
    data: { type: "boolean", default: false },
    rate: { type: "string" },
    "cpu-prof": { type: "string" },
    "baseline-seconds": { type: "string", default: "10" },
  },
});
const databaseUrl = benchDatabaseUrl(args.database);
const SECONDS = Number(args.seconds);
const PORT = Number(args.port);
const STAFF_COUNTS = args.staff.split(",").map(Number);
const SAMPLE_SIZE = 400;
const RATE = args.rate === undefined ? undefined : Number(args.rate);
if (RATE !== undefined && !(RATE > 0)) throw new Error(`--rate must be a positive number of requests per second`);

// The server and this process share the key the staff fixtures encrypt TOTP secrets with: importing
// ./lib/console-processes sets it.
process.env.DATABASE_URL = databaseUrl.toString();
// A benchmark prices the reads, not the per-member read budget a person would never reach (app/auth/read-budget.server.ts).
process.env.FIREBREAK_STAFF_READS_PER_HOUR = "0";

async function main() {
  const admin = new pg.Client({ connectionString: databaseUrl.toString() });
  await admin.connect();
  const { rows: counts } = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM customer`);
  const customers = Number(counts[0]!.n);
  if (customers === 0) throw new Error(`${args.database} holds no customers: seed it first`);
  const samples = await sampleCallers(admin, { customers, size: SAMPLE_SIZE, seed: 7 });

  // The baseline: the searches alone, on one connection, for a fixed time.
  const { parseSearchQuery } = await import("~/accounts/search-query.server");
  const { searchCustomers } = await import("~/accounts/search.server");
  let bare = 0;
  const bareUntil = performance.now() + Number(args["baseline-seconds"]) * 1000;
  const loadBefore = loadavg()[0]!;
  while (performance.now() < bareUntil) {
    const s = samples[bare % samples.length]!;
    const parsed = parseSearchQuery(whatTheCallerSays(s, bare));
    if (!parsed.ok) throw new Error(`bench query refused: ${whatTheCallerSays(s, bare)}`);
    await searchCustomers(admin, parsed.terms);
    bare += 1;
  }
  const bareRate = bare / Number(args["baseline-seconds"]);
  console.log(
    `Database ${args.database}: ${customers.toLocaleString("en-US")} customers. Bare search on one connection: ` +
      `${bareRate.toFixed(0)} searches/s (${bare} in ${args["baseline-seconds"]} s; load average ${loadBefore.toFixed(2)}).`,
  );

  const server = await startConsoleProcesses({
    databaseUrl: databaseUrl.toString(),
    port: PORT,
    processes: Number(args.processes),
    cpuProfileDir: args["cpu-prof"],
  });
  const { dataPath } = await import("../../tests/support/single-fetch");
  const most = Math.max(...STAFF_COUNTS);
  const agents = await signInBenchStaff(server, most, (i) => ({
    role: "AGENT",
    displayName: `Load Agent ${i}`,
    language: "ja",
  }));
  const data = args.data;
  // A route's data is what a client-side navigation asks for under single fetch: `<path>.data`, that route's loader.
  const searchUrl = (q: string) => {
    const page = `/accounts?${new URLSearchParams({ q })}`;
    return data ? dataPath(page, ["routes/accounts._index"]) : page;
  };
  const viewUrl = (id: string) =>
    data ? dataPath(`/accounts/${id}`, ["routes/accounts.$customerId._index"]) : `/accounts/${id}`;
  console.log(
    `${args.processes} web processes, ${most} staff signed in; each request is ${data ? "a route's loader data" : "a whole page"}` +
      `; ${RATE ? `paced: ${RATE} requests/s in all, latency counted from when each was due` : "back to back"}.\n`,
  );

  for (const count of STAFF_COUNTS) {
    const latencies: number[] = [];
    const byKind = { search: [] as number[], view: [] as number[] };
    const errors = new Map<string, number>();
    let done = 0;
    let next = 0;
    // A short warm-up, not counted.
    const warmUntil = performance.now() + Math.min(5, SECONDS / 4) * 1000;
    const until = warmUntil + SECONDS * 1000;
    const loadStart = loadavg()[0]!;
    let cpuStart: { web: number; db: number; client: number } | undefined;
    let cpuEnd: { web: number; db: number; client: number } | undefined;
    const backendPids = async () =>
      (
        await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
      ).rows.map((r) => r.pid);
    // The staff's HTTP clients run in this process, on the same cores: their CPU is reported too, so a client that
    // saturates a core shows as such rather than as a slow console.
    const cpuNow = async () => ({ web: server.cpuMs(), db: cpuMsOf(await backendPids()), client: ownCpuMs() });
    const cpuWindow = (async () => {
      await new Promise((resolve) => setTimeout(resolve, warmUntil - performance.now()));
      cpuStart = await cpuNow();
      await new Promise((resolve) => setTimeout(resolve, until - performance.now()));
      cpuEnd = await cpuNow();
    })();
    // Paced: member m's n-th request is due at start + (m / count + n) × interval. The schedule starts again when the
    // warm-up ends, so a cold start's backlog (first plans, JIT, cache misses) is not carried into the measured window;
    // from then on every late request counts its wait.
    const interval = RATE ? (count / RATE) * 1000 : 0;
    const offset = (member: number) => (member / count) * interval;
    await Promise.all(
      agents.slice(0, count).map(async (agent, member) => {
        // Each member keeps one connection, as a browser tab does, and the client reads the page's bytes without
        // decoding them: the clients share the console's two cores, so they should cost it as little as they can.
        const socket = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const get = makeGet(socket, "firebreak-tests", { "x-forwarded-for": agent.ip });
        const cookie = agent.cookieHeader();
        let due = performance.now() + offset(member);
        let warm = false;
        while (performance.now() < until) {
          const k = next++;
          const s = samples[k % samples.length]!;
          for (const [kind, url] of [
            ["search", searchUrl(whatTheCallerSays(s, k))],
            ["view", viewUrl(s.id)],
          ] as const) {
            if (RATE && !warm && performance.now() >= warmUntil) {
              warm = true;
              due = warmUntil + offset(member);
            }
            if (RATE) {
              const wait = due - performance.now();
              if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            }
            const started = RATE ? due : performance.now();
            due += interval;
            let outcome: string;
            try {
              await get(PORT, url, cookie);
              outcome = "ok";
            } catch (error) {
              if (error instanceof HttpStatusError) outcome = `HTTP ${error.status}`;
              else outcome = error instanceof Error ? error.message : String(error);
            }
            const ended = performance.now();
            if (started < warmUntil || ended > until) continue;
            done += 1;
            latencies.push(ended - started);
            byKind[kind].push(ended - started);
            if (outcome !== "ok") errors.set(outcome, (errors.get(outcome) ?? 0) + 1);
          }
        }
        socket.destroy();
      }),
    );
    await cpuWindow;
    for (const list of [latencies, byKind.search, byKind.view]) list.sort((a, b) => a - b);
    const rate = done / SECONDS;
    const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0);
    console.log(
      `${String(count).padStart(3)} staff: ${rate.toFixed(0).padStart(4)} requests/s · p50 ${percentile(latencies, 50).toFixed(1)} ms` +
        ` · p95 ${percentile(latencies, 95).toFixed(1)} ms · p99 ${percentile(latencies, 99).toFixed(1)} ms` +
        ` · errors ${errorCount}${errorCount ? ` (${[...errors].map(([e, n]) => `${e}: ${n}`).join(", ")})` : ""}` +
        ` · ×${(rate / bareRate).toFixed(2)} of bare searches/s · load average ${loadStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
    );
    console.log(
      `          searches p50 ${percentile(byKind.search, 50).toFixed(1)} p95 ${percentile(byKind.search, 95).toFixed(1)} ms` +
        ` · account views p50 ${percentile(byKind.view, 50).toFixed(1)} p95 ${percentile(byKind.view, 95).toFixed(1)} ms`,
    );
    if (cpuStart && cpuEnd && done > 0) {
      console.log(
        `          CPU per request: web processes ${((cpuEnd.web - cpuStart.web) / done).toFixed(2)} ms, PostgreSQL ` +
          `${((cpuEnd.db - cpuStart.db) / done).toFixed(2)} ms, this bench's clients ` +
          `${((cpuEnd.client - cpuStart.client) / done).toFixed(2)} ms (${((cpuEnd.client - cpuStart.client) / (SECONDS * 10)).toFixed(0)} % of one core)`,
      );
    }
  }

  await server.close();
  await admin.end();
  const { database } = await import("~/db.server");
  await database.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
