// `npx tsx scripts/bench/route-matching.ts [--rounds 20] [--calls 2000]`
//
// What matching a URL against the console's route tree costs, per call, with @remix-run/router's own matchRoutes and
// with the cached one (scripts/lib/route-matching.ts), interleaved round by round in one process so a busy machine
// slows both alike. Two cases: the server runtime's tree (the same array on every request) and a fresh copy of it per
// call (as the server render rebuilds its routes for each page). The URLs are those of the load benchmark: the
// search page, an account's page and both as loader data (which Remix first matches as they are, `.data` and all:
// `/accounts.data` matches no route, the costliest case). Reports the median CPU µs per call and the ratio; the web
// processes make three (loader data) to six (a page) such calls per request.
import { parseArgs } from "node:util";
import * as router from "@remix-run/router";
import type { AgnosticRouteObject } from "@remix-run/router";
import { cachedMatchRoutes } from "../lib/route-matching";
import { consoleRouteTree } from "./lib/console-route-tree";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "20" }, calls: { type: "string", default: "2000" } },
});
const ROUNDS = Number(args.rounds);
const CALLS = Number(args.calls);

const id = "4b0c7f1e-9a7d-4c1e-8f5e-2d6a0b9c3e11";
const URLS = ["/accounts", `/accounts/${id}`, "/accounts.data", `/accounts/${id}.data`];
const copyTree = (routes: AgnosticRouteObject[]): AgnosticRouteObject[] =>
  routes.map((route) => (route.children ? { ...route, children: copyTree(route.children) } : { ...route }));

const original = router.matchRoutes;
const cached = cachedMatchRoutes(router);
const tree = consoleRouteTree();

/** CPU µs per call of `calls` matches (the copies are made before the clock starts). */
function measure(match: typeof cached, freshTree: boolean): number {
  const trees = Array.from({ length: CALLS }, () => (freshTree ? copyTree(tree) : tree));
  const started = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) match(trees[i]!, URLS[i % URLS.length]!);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const freshTree of [false, true]) {
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    before.push(measure(original, freshTree));
    after.push(measure(cached, freshTree));
  }
  const [b, a] = [median(before), median(after)];
  console.log(
    `${freshTree ? "a fresh copy of the tree per call" : "the same tree on every call    "}: ` +
      `router ${b.toFixed(1)} µs, cached ${a.toFixed(1)} µs per call (×${(a / b).toFixed(3)})`,
  );
}
