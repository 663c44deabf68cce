// `npx tsx scripts/bench/page-builds.ts --before <build.js> [--after build/index.js] [--database firebreak_load_1m]
//                                      [--rounds 16] [--requests 60] [--concurrency 4] [--data] [--busiest]`
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
// --busiest draws the callers from the 200 accounts with the longest timelines (most sign-ins and wallet events)
// instead of at random: the accounts a timeline's length matters for (ADR 082).
//
// Keep the "before" copy under an ignored folder next to the repository's node_modules, e.g.
// `mkdir -p .cache/ab && cp build/index.js .cache/ab/before.js` before the change, then `npx remix build` after it.
// Environment: FIREBREAK_BENCH_ADMIN_URL.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl } from "./lib/bench-database";
import { whatTheCallerSays, type CallerSample } from "./lib/callers";
import { makeGet } from "./lib/http-get";
import { benchCallersAndAgent, compareSideBySide, listenSideBySide, reportSideBySide } from "./lib/side-by-side";
import { loadAverage } from "./lib/stats";

const { values: args } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "build/index.js" },
    database: { type: "string", default: "firebreak_load_1m" },
    rounds: { type: "string", default: "16" },
    requests: { type: "string", default: "60" },
    concurrency: { type: "string", default: "4" },
    data: { type: "boolean", default: false },
    busiest: { type: "boolean", default: false },
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

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

/** The 200 customers with a full name and the most sign-ins and wallet events. */
async function busiestCallers(sql: { query: <R>(text: string) => Promise<{ rows: R[] }> }): Promise<CallerSample[]> {
  const { rows } = await sql.query<CallerSample>(
    `SELECT c.id::text, c.phone, c.email, c.display_id, c.name, c.name_kana, c.birth_date::text AS birth_date
       FROM (SELECT customer_id, count(*) AS n
               FROM (SELECT customer_id FROM login_event UNION ALL SELECT customer_id FROM ledger_transaction) e
              GROUP BY customer_id ORDER BY n DESC LIMIT 400) busiest
       JOIN customer c ON c.id = busiest.customer_id
      WHERE c.name LIKE '% %' ORDER BY busiest.n DESC LIMIT 200`,
  );
  return rows;
}

async function main() {
  const { database, callers: sampled, cookie } = await benchCallersAndAgent("Page Builds Bench");
  const callers = args.busiest ? await busiestCallers(database.sql) : sampled;
  const { createHttpApp } = await import("../lib/http-server");
  const { dataPath } = await import("../../tests/support/single-fetch");
  const listen = async (label: string, file: string) => {
    const build = (await import(pathToFileURL(path.resolve(file)).href)) as ServerBuild;
    return listenSideBySide(label, createHttpApp({ build, mode: "production", trustProxyHops: 0 }));
  };
  const servers = [await listen(`before (${BEFORE})`, BEFORE), await listen(`after (${args.after})`, args.after)];

  // The same sequence of requests for both servers in a round: the k-th caller's search, then their account view.
  const requestAt = (k: number) => {
    const caller = callers[Math.floor(k / 2) % callers.length]!;
    if (k % 2 === 0) {
      const page = `/accounts?${new URLSearchParams({ q: whatTheCallerSays(caller, Math.floor(k / 2)) })}`;
      return { kind: "search", path: args.data ? dataPath(page, ["routes/accounts._index"]) : page };
    }
    const page = `/accounts/${caller.id}`;
    return { kind: "view", path: args.data ? dataPath(page, ["routes/accounts.$customerId._index"]) : page };
  };
  await compareSideBySide({
    servers,
    rounds: ROUNDS,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    cookie,
    get: makeGet(agent),
    requestAt,
  });

  console.log(
    `${ROUNDS} rounds of ${REQUESTS} ${args.data ? "data requests" : "whole pages"} per build (searches and account ` +
      `views), ${CONCURRENCY} at a time; load average ${loadAverage()}`,
  );
  reportSideBySide(servers, "after / before");
  agent.destroy();
  await database.close();
  process.exit(0);
}

await main();
