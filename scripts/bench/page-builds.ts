// `npx tsx scripts/bench/page-builds.ts --before <build.js> [--after build/index.js] [--database firebreak_load_1m]
//                                      [--rounds 16] [--requests 60] [--concurrency 4] [--data]`
//
// The web CPU a change saves per page, measured so that a busy machine cannot fake it: two Remix builds of the console
// (a copy of build/index.js made before the change, and the build after it) served side by side in this one process,
// behind the same HTTP perimeter (createHttpApp), on one database. Each round sends --requests requests to each server
// in turn, --concurrency at a time, the first server alternating round by round: a caller search as load.ts types it
// (scripts/bench/lib/callers.ts), then that caller's account view, as whole pages for a script's user agent (rendered,
// then sent, as load.ts gets them) or, with --data, as their loader data. It prints this process's CPU time per
// request for each build (the HTTP clients are in it too, the same share for both), the median over the rounds, the
// ratio of the medians and the median of the rounds' own ratios (each pair measured back to back, the least
// disturbed by other work), plus p50/p95 latency and the body sizes. Each request adds audit rows, as in load.ts.
//
// Keep the "before" copy under an ignored folder next to the repository's node_modules, e.g.
// `mkdir -p .cache/ab && cp build/index.js .cache/ab/before.js` before the change, then `npx remix build` after it.
// Environment: FIREBREAK_BENCH_ADMIN_URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl } from "./lib/bench-database";
import { signInBenchMember } from "./lib/bench-staff";
import { sampleCallers, whatTheCallerSays } from "./lib/callers";
import { loadAverage, median, percentile } from "./lib/stats";
import { makeGet } from "./lib/http-get";

const { values: args } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "build/index.js" },
    database: { type: "string", default: "firebreak_load_1m" },
    rounds: { type: "string", default: "16" },
    requests: { type: "string", default: "60" },
    concurrency: { type: "string", default: "4" },
    data: { type: "boolean", default: false },
  },
});
if (!args.before) throw new Error("--before <a copy of build/index.js made before the change> is required");
const BEFORE: string = args.before;
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);

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
  bytes: { search: number; view: number };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

const get = makeGet(agent);

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
  const member = await signInBenchMember(signInApp, {
    role: "AGENT",
    displayName: "Page Builds Bench",
    language: "ja",
  });
  const cookie = member.cookieHeader();
  await signInApp.close();

  const listen = async (label: string, file: string): Promise<Server> => {
    const build = (await import(pathToFileURL(path.resolve(file)).href)) as ServerBuild;
    const app = createHttpApp({ build, mode: "production", trustProxyHops: 0 });
    const server = await new Promise<http.Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    server.keepAliveTimeout = 65_000;
    const port = (server.address() as AddressInfo).port;
    return { label, port, cpuMsPerRequest: [], latencies: [], bytes: { search: 0, view: 0 } };
  };
  const servers = [await listen(`before (${BEFORE})`, BEFORE), await listen(`after (${args.after})`, args.after)];

  // The same sequence of requests for both servers in a round: the k-th caller's search, then their account view.
  const requestAt = (k: number): { kind: "search" | "view"; path: string } => {
    const caller = callers[Math.floor(k / 2) % callers.length]!;
    if (k % 2 === 0) {
      const page = `/accounts?${new URLSearchParams({ q: whatTheCallerSays(caller, Math.floor(k / 2)) })}`;
      return { kind: "search", path: args.data ? dataPath(page, ["routes/accounts._index"]) : page };
    }
    const page = `/accounts/${caller.id}`;
    return { kind: "view", path: args.data ? dataPath(page, ["routes/accounts.$customerId._index"]) : page };
  };
  let offset = 0;
  const runRound = async (server: Server, first: number, record: boolean) => {
    let sent = 0;
    const cpu = process.cpuUsage();
    const client = async () => {
      while (sent < REQUESTS) {
        const request = requestAt(first + sent);
        sent += 1;
        const started = performance.now();
        const bytes = await get(server.port, request.path, cookie);
        if (record) {
          server.latencies.push(performance.now() - started);
          server.bytes[request.kind] = Math.max(server.bytes[request.kind], bytes);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const used = process.cpuUsage(cpu);
    if (record) server.cpuMsPerRequest.push((used.user + used.system) / 1000 / REQUESTS);
  };

  // One round each to warm up (JIT, statement caches), then the measured rounds, alternating which goes first.
  for (const server of servers) await runRound(server, 0, false);
  for (let round = 0; round < ROUNDS; round++) {
    offset += REQUESTS;
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) await runRound(server, offset, true);
  }

  console.log(
    `${ROUNDS} rounds of ${REQUESTS} ${args.data ? "data requests" : "whole pages"} per build (searches and account ` +
      `views), ${CONCURRENCY} at a time; load average ${loadAverage()}`,
  );
  for (const server of servers) {
    const latencies = [...server.latencies].sort((a, b) => a - b);
    console.log(
      `${server.label}: CPU per request ${median(server.cpuMsPerRequest).toFixed(3)} ms (rounds ` +
        `${server.cpuMsPerRequest.map((ms) => ms.toFixed(2)).join(" ")}) · p50 ${percentile(latencies, 50).toFixed(1)} ms ` +
        `· p95 ${percentile(latencies, 95).toFixed(1)} ms · largest search ${server.bytes.search} B, view ${server.bytes.view} B`,
    );
  }
  const [before, after] = servers as [Server, Server];
  const paired = after.cpuMsPerRequest.map((ms, round) => ms / before.cpuMsPerRequest[round]!);
  console.log(
    `after / before: CPU ×${(median(after.cpuMsPerRequest) / median(before.cpuMsPerRequest)).toFixed(3)} (medians), ` +
      `×${median(paired).toFixed(3)} (median of the rounds' ratios)`,
  );
  agent.destroy();
  await database.close();
  process.exit(0);
}

await main();
