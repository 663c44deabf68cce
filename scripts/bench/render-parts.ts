// `npx tsx scripts/bench/render-parts.ts [--rounds 20] [--calls 2000]` (after `npx remix build`)
//
// What parts of a page's server render cost per call, before and after ADRs 059 and 073, interleaved round by round in
// one process so a busy machine slows both alike (the median CPU µs per call, and the ratio):
// - the route tree `<RemixServer>` builds from the build's manifest for every page: @remix-run/react's own
//   createServerRoutes, and the one kept per build (scripts/lib/server-routes.ts), each given a fresh route-modules
//   object per call as Remix's server runtime does;
// - the data routes react-router's createStaticRouter converts that tree into for every page: the router's own
//   convertRoutesToDataRoutes, and the one kept per tree, each into a fresh manifest per call;
// - a plain label through `t` as components call it (useTranslation: getFixedT(null, namespace)), every key of the
//   "accounts" and "common" namespaces in Japanese, with i18next's own look-up and with the memo
//   (app/i18n/memoized-t.ts);
// - a label with values (every key of those namespaces with simple `{{name}}` placeholders), through i18next's
//   interpolation and filled in by the memo (ADR 073).
// The build's modules are imported, not run: no database is opened.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerBuild } from "@remix-run/node";
import { createInstance, type TFunction } from "i18next";
import { i18nConfig } from "~/i18n/config";
import { memoizeLabelLookups } from "~/i18n/memoized-t";
import { en } from "~/i18n/resources";
import * as router from "@remix-run/router";
import { UNSAFE_mapRouteProperties as mapRouteProperties } from "react-router";
import { cachedConvertRoutesToDataRoutes, cachedCreateServerRoutes } from "../lib/server-routes";
import { leafKeys } from "../../tests/support/translation-keys";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "20" }, calls: { type: "string", default: "2000" } },
});
const ROUNDS = Number(args.rounds);
const CALLS = Number(args.calls);

type CreateServerRoutes = Parameters<typeof cachedCreateServerRoutes>[0];
const { createServerRoutes } = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
  createServerRoutes: CreateServerRoutes;
};
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
const manifest = build.assets.routes as unknown as Record<string, unknown>;
const routeModules = () => Object.fromEntries(Object.entries(build.routes).map(([id, route]) => [id, route.module]));
const keptCreateServerRoutes = cachedCreateServerRoutes(createServerRoutes);

const labels = (["accounts", "common"] as const).flatMap((ns) => leafKeys(en[ns]).map((key) => ({ ns, key })));
function translatorsOf(memoized: boolean) {
  const instance = createInstance();
  void instance.init({ ...i18nConfig, lng: "ja" });
  if (memoized) memoizeLabelLookups(instance);
  return { accounts: instance.getFixedT(null, "accounts"), common: instance.getFixedT(null, "common") };
}
const [plainT, memoizedT] = [translatorsOf(false), translatorsOf(true)];

/** CPU µs per call of `CALLS` calls (what each call needs is made before the clock starts). */
function perCall(prepare: (i: number) => unknown, call: (input: unknown, i: number) => unknown): number {
  const inputs = Array.from({ length: CALLS }, (_, i) => prepare(i));
  const started = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) call(inputs[i], i);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function compare(name: string, before: () => number, after: () => number) {
  const [b, a] = [[] as number[], [] as number[]];
  for (let round = 0; round < ROUNDS; round++) {
    b.push(before());
    a.push(after());
  }
  const [mb, ma] = [median(b), median(a)];
  console.log(`${name}: before ${mb.toFixed(2)} µs, after ${ma.toFixed(2)} µs per call (×${(ma / mb).toFixed(3)})`);
}

const routesWith = (create: CreateServerRoutes) => () =>
  perCall(routeModules, (modules) => create(manifest, modules as Record<string, unknown>, build.future, false));
compare(
  `the server render's route tree (${Object.keys(manifest).length} routes)`,
  routesWith(createServerRoutes),
  routesWith(keptCreateServerRoutes),
);

type Convert = Parameters<typeof cachedConvertRoutesToDataRoutes>[0];
const convert = router.UNSAFE_convertRoutesToDataRoutes as unknown as Convert;
const keptConvert = cachedConvertRoutesToDataRoutes(convert);
const tree = keptCreateServerRoutes(manifest, routeModules(), build.future, false);
const dataRoutesWith = (conversion: Convert) => () =>
  perCall(
    () => ({}),
    (byId) => conversion(tree, mapRouteProperties, undefined, byId as Record<string, unknown>),
  );
compare("the data routes of that tree", dataRoutesWith(convert), dataRoutesWith(keptConvert));

const labelsWith = (translators: Record<"accounts" | "common", TFunction<"accounts"> | TFunction<"common">>) => () =>
  perCall(
    (i) => labels[i % labels.length]!,
    (label) => {
      const { ns, key } = label as (typeof labels)[number];
      return (translators[ns] as (key: string) => string)(key);
    },
  );
compare(`a plain label through t (${labels.length} keys)`, labelsWith(plainT), labelsWith(memoizedT));

// Labels with values, as the timeline's sentences and a case's "opened at" are called: every key of the two
// namespaces with simple placeholders, each given a short text per placeholder (before: i18next's interpolation, as
// ADR 059 left it; after: the kept label filled in, ADR 073).
const withValues = labels.flatMap(({ ns, key }) => {
  const label = (plainT[ns] as (key: string) => string)(key);
  const names = [...label.matchAll(/\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g)].map((match) => match[1]!);
  if (names.length === 0 || names.includes("count") || label.includes("{{count,")) return [];
  return [{ ns, key, values: Object.fromEntries(names.map((name, i) => [name, `値${i} value`])) }];
});
const valuesWith = (translators: Record<"accounts" | "common", TFunction<"accounts"> | TFunction<"common">>) => () =>
  perCall(
    (i) => withValues[i % withValues.length]!,
    (label) => {
      const { ns, key, values } = label as (typeof withValues)[number];
      return (translators[ns] as (key: string, values: object) => string)(key, values);
    },
  );
compare(`a label with values through t (${withValues.length} keys)`, valuesWith(plainT), valuesWith(memoizedT));
process.exit(0);
