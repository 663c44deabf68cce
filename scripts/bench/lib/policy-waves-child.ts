// One measurement for scripts/bench/policy-waves.ts, in a process of its own (earlier revisions cached their
// computations per process): what the /policies page's figures cost a process, timed, and a digest of the figures.
import { createHash } from "node:crypto";
import { DETECTORS, SEVERITIES } from "~/detect/definitions";
import { ordinaryHistory } from "~/detect/policy-history.server";
import { policyWaveTables } from "~/detect/policy-waves.server";

const started = process.cpuUsage();
// Since ADR 102 recorded files (nothing to compute); before it, the replay runs. Either way only the figures are hashed,
// so a run against a revision that computed them checks the recording gives the same answers.
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
const digest = createHash("sha256")
  .update(JSON.stringify({ history: { weeks, firings }, tables }))
  .digest("hex");
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, digest }));
