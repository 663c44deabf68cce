// One measurement for scripts/bench/policy-waves.ts, in a process of its own (the computations are cached per
// process): the /policies page's backtests, timed, and a digest of everything they produced.
import { createHash } from "node:crypto";
import { DETECTORS, SEVERITIES } from "~/detect/definitions";
import { ordinaryHistory } from "~/detect/policy-history.server";
import { policyWaveTables } from "~/detect/policy-waves.server";

const started = process.cpuUsage();
// Since ADR 102 a recorded file (nothing to compute); before it, the replay run. Either way only the figures are hashed.
const { weeks, firings } = await ordinaryHistory();
// Every detector at every severity with either switch: all the priced outcomes the page could show.
const policies = DETECTORS.flatMap((d) =>
  SEVERITIES.flatMap((minSeverity) =>
    ["topup.all", "topup.credit_card"].map((switchKey) => ({
      id: `${d.key}/${minSeverity}/${switchKey}`,
      detector: d.key,
      minSeverity,
      switchKey,
    })),
  ),
);
const tables = await policyWaveTables(policies);
const used = process.cpuUsage(started);
// The raw backtest results as well (every alert with its evaluation and baseline), not only the priced tables.
const runs = (await (globalThis as { firebreakWaveRuns?: Promise<{ result: unknown }[]> }).firebreakWaveRuns) ?? [];
const digest = createHash("sha256")
  .update(JSON.stringify({ history: { weeks, firings }, tables, results: runs.map((r) => r.result) }))
  .digest("hex");
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, digest }));
