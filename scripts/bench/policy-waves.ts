// `npx tsx scripts/bench/policy-waves.ts [--runs 3] [--against <git revision>]`: the CPU time a process spends on the
// /policies page's figures (the ordinary weeks and every wave variant, app/detect/policy-*.server.ts): since ADR 102
// read from recordings, before it backtests computed once per process. Each measurement runs in a fresh process
// (scripts/bench/lib/policy-waves-child.ts). With --against, the same measurement on the detection code of that
// revision (scripts/bench/lib/revision-tree.ts), alternating with this tree's in the same run, and the two runs'
// results must match exactly (a digest of every figure the page can show): a speed-up that changed an answer is a
// failure, not a result.
import { parseArgs } from "node:util";
import { removeTree, ROOT, runChild, unpackRevision } from "./lib/revision-tree";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, against: { type: "string" } },
});
const runs = Math.max(1, Number(values.runs));
const CHILD = "scripts/bench/lib/policy-waves-child.ts";

const measure = (cwd: string) => runChild<{ cpuMs: number; digest: string }>(cwd, CHILD);

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

const baselineDir = values.against ? unpackRevision(values.against, CHILD) : undefined;
try {
  const now: number[] = [];
  const was: number[] = [];
  const digests = new Set<string>();
  for (let i = 0; i < runs; i++) {
    if (baselineDir) {
      const before = measure(baselineDir);
      was.push(before.cpuMs);
      digests.add(before.digest);
    }
    const after = measure(ROOT);
    now.push(after.cpuMs);
    digests.add(after.digest);
    console.log(
      `run ${i + 1}: ${baselineDir ? `${values.against} ${Math.round(was.at(-1)!)} ms, ` : ""}this tree ${Math.round(after.cpuMs)} ms CPU`,
    );
  }
  console.log(`this tree: median ${Math.round(median(now))} ms CPU over ${runs} runs`);
  if (baselineDir) {
    console.log(
      `${values.against}: median ${Math.round(median(was))} ms CPU (${(median(was) / median(now)).toFixed(2)}× this tree's)`,
    );
  }
  if (digests.size !== 1) throw new Error(`the results differ between runs or revisions: ${[...digests].join(", ")}`);
  console.log(`results identical in every run (sha256 ${[...digests][0]})`);
} finally {
  if (baselineDir) removeTree(baselineDir);
}
