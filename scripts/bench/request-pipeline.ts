// `npx tsx scripts/bench/request-pipeline.ts [--database firebreak_load_1m] [--rounds 12] [--requests 60]
//                                            [--concurrency 4] [--data] [--browser]`
//
// What the bridge between express and Remix costs per request (ADR 063): the same build served twice in this process,
// once through `@remix-run/express`'s request handler (a web stream around React's Node stream, read chunk by chunk
// and written chunk by chunk) and once through scripts/lib/remix-handler.ts (React's Node stream written directly,
// what a turn of the event loop brings written at once), both behind the same express perimeter. Each round sends
// --requests account views and caller searches (whole pages, or their loader data with --data) to each server in
// turn, --concurrency at a time, the first server alternating round by round, so a busy machine slows both alike. It
// prints this process's CPU time per request (server and client: the client's share is the same for both), the
// median over the rounds, the ratio of the medians and the median of the rounds' own ratios, plus p50/p95 latency. --browser sends a browser's user agent, so pages are
// streamed from the shell on; by default the agent is a script's, which gets the page once all is rendered, as in
// scripts/bench/load.ts. The database must be migrated and seeded (or a clone of a seeded one); each view adds an
// audit row. Run `npx remix build` first. Environment: FIREBREAK_BENCH_ADMIN_URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRequestHandler as expressAdapter } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl } from "./lib/bench-database";
import { signInBenchMember } from "./lib/bench-staff";
import { sampleCallers } from "./lib/callers";
import { loadAverage, median, percentile } from "./lib/stats";
import { makeGet } from "./lib/http-get";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_load_1m" },
    rounds: { type: "string", default: "12" },
    requests: { type: "string", default: "60" },
    concurrency: { type: "string", default: "4" },
    data: { type: "boolean", default: false },
    browser: { type: "boolean", default: false },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const USER_AGENT = args.browser
  ? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
  : "firebreak-tests";

process.env.DATABASE_URL = benchDatabaseUrl(args.database).toString();
// A benchmark prices the reads, not the per-member read budget a person would never reach (app/auth/read-budget.server.ts).
process.env.FIREBREAK_STAFF_READS_PER_HOUR = "0";
// One log line per request would bury the report (and cost both servers alike).
process.env.FIREBREAK_LOG_LEVEL ??= "warn";

interface Server {
  label: string;
  port: number;
  cpuMsPerRequest: number[];
  latencies: number[];
  bytes: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

const get = makeGet(agent, USER_AGENT);

async function main() {
  const { getDatabase } = await import("~/db.server");
  const database = await getDatabase();
  const { createHttpApp } = await import("../lib/http-server");
  const { startHttpApp } = await import("../../tests/support/http-app");
  const { dataPath } = await import("../../tests/support/single-fetch");
  const { rows } = await database.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM customer`);
  const callers = await sampleCallers(database.sql, { customers: Number(rows[0]!.n), size: 200, seed: 11 });

  // The staff member signs in on a test server; its session cookie is good on both servers (one database).
  const signInApp = await startHttpApp({ mode: "production" });
  const member = await signInBenchMember(signInApp, { role: "AGENT", displayName: "Pipeline Bench" });
  const cookie = member.cookieHeader();
  await signInApp.close();

  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const listen = async (label: string, remixHandler?: typeof expressAdapter): Promise<Server> => {
    const app = createHttpApp({ build, mode: "production", trustProxyHops: 0, remixHandler });
    const server = await new Promise<http.Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    server.keepAliveTimeout = 65_000;
    return { label, port: (server.address() as AddressInfo).port, cpuMsPerRequest: [], latencies: [], bytes: 0 };
  };
  const servers = [await listen("@remix-run/express", expressAdapter), await listen("direct writer (ADR 063)")];

  let k = 0;
  const nextPath = () => {
    const caller = callers[k % callers.length]!;
    const page = k % 2 === 0 ? `/accounts/${caller.id}` : `/accounts?q=${encodeURIComponent(caller.display_id)}`;
    k += 1;
    return args.data ? dataPath(page) : page;
  };
  const runRound = async (server: Server, record: boolean) => {
    let sent = 0;
    const cpu = process.cpuUsage();
    const client = async () => {
      while (sent < REQUESTS) {
        sent += 1;
        const started = performance.now();
        const bytes = await get(server.port, nextPath(), cookie);
        if (record) {
          server.latencies.push(performance.now() - started);
          server.bytes = Math.max(server.bytes, bytes);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const used = process.cpuUsage(cpu);
    if (record) server.cpuMsPerRequest.push((used.user + used.system) / 1000 / REQUESTS);
  };

  // One round each to warm up (JIT, statement caches), then the measured rounds, alternating which goes first.
  for (const server of servers) await runRound(server, false);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) await runRound(server, true);
  }

  console.log(
    `${ROUNDS} rounds of ${REQUESTS} ${args.data ? "data requests" : "whole pages"} per server, ${CONCURRENCY} at a ` +
      `time, ${args.browser ? "browser" : "script"} user agent; load average ${loadAverage()}`,
  );
  for (const server of servers) {
    const latencies = [...server.latencies].sort((a, b) => a - b);
    console.log(
      `${server.label.padEnd(26)} CPU per request ${median(server.cpuMsPerRequest).toFixed(2)} ms (rounds ` +
        `${server.cpuMsPerRequest.map((ms) => ms.toFixed(2)).join(" ")}) · p50 ${percentile(latencies, 50).toFixed(1)} ms ` +
        `· p95 ${percentile(latencies, 95).toFixed(1)} ms · largest body ${server.bytes} B`,
    );
  }
  const [before, after] = servers as [Server, Server];
  // Each round's two figures were measured back to back: their ratio is the least disturbed by the machine's load.
  const paired = after.cpuMsPerRequest.map((ms, round) => ms / before.cpuMsPerRequest[round]!);
  console.log(
    `direct / express: CPU ×${(median(after.cpuMsPerRequest) / median(before.cpuMsPerRequest)).toFixed(3)} ` +
      `(medians), ×${median(paired).toFixed(3)} (median of the rounds' ratios)`,
  );
  agent.destroy();
  await database.close();
  process.exit(0);
}

await main();
