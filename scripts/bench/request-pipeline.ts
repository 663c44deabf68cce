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
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRequestHandler as expressAdapter } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl } from "./lib/bench-database";
import { makeGet } from "./lib/http-get";
import { benchCallersAndAgent, compareSideBySide, listenSideBySide, reportSideBySide } from "./lib/side-by-side";
import { loadAverage } from "./lib/stats";

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

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

async function main() {
  const { database, callers, cookie } = await benchCallersAndAgent("Pipeline Bench");
  const { createHttpApp } = await import("../lib/http-server");
  const { dataPath } = await import("../../tests/support/single-fetch");
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const listen = (label: string, remixHandler?: typeof expressAdapter) =>
    listenSideBySide(label, createHttpApp({ build, mode: "production", trustProxyHops: 0, remixHandler }));
  const servers = [await listen("@remix-run/express", expressAdapter), await listen("direct writer (ADR 063)")];

  // Account views and display-ID searches in turn, the same k-th request for both servers.
  const requestAt = (k: number) => {
    const caller = callers[Math.floor(k / 2) % callers.length]!;
    const page = k % 2 === 0 ? `/accounts/${caller.id}` : `/accounts?q=${encodeURIComponent(caller.display_id)}`;
    return { kind: k % 2 === 0 ? "view" : "search", path: args.data ? dataPath(page) : page };
  };
  await compareSideBySide({
    servers,
    rounds: ROUNDS,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    cookie,
    get: makeGet(agent, USER_AGENT),
    requestAt,
  });

  console.log(
    `${ROUNDS} rounds of ${REQUESTS} ${args.data ? "data requests" : "whole pages"} per server, ${CONCURRENCY} at a ` +
      `time, ${args.browser ? "browser" : "script"} user agent; load average ${loadAverage()}`,
  );
  reportSideBySide(servers, "direct / express");
  agent.destroy();
  await database.close();
  process.exit(0);
}

await main();
