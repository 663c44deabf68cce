// `npx tsx scripts/bench/policy-waves.ts [--runs 3] [--against <git revision>]`: the CPU time a process spends on the
// /policies page's figures (the ordinary weeks and every wave variant, app/detect/policy-*.server.ts): since ADR 102
// read from recordings, before it backtests computed once per process. Each measurement runs in a fresh process
// (scripts/bench/lib/policy-waves-child.ts). With --against, the same measurement on the detection code of that revision (its app/ unpacked in a temporary directory), alternating
// with this tree's in the same run, and the two runs' results must match exactly (a digest of every figure the page
// can show): a speed-up that changed an answer is a failure, not a result.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, against: { type: "string" } },
});
const runs = Math.max(1, Number(values.runs));
const root = path.resolve(import.meta.dirname, "../..");
const CHILD = "scripts/bench/lib/policy-waves-child.ts";

/** A tree with `revision`'s app/ (and this tree's installed packages and generated client) to run the child in. */
function unpack(revision: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "policy-waves-"));
  execFileSync("sh", ["-c", `git archive "${revision}" app tsconfig.json package.json | tar -x -C "${dir}"`], {
    cwd: root,
  });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  rmSync(path.join(dir, "app/generated"), { recursive: true, force: true });
  symlinkSync(path.join(root, "app/generated"), path.join(dir, "app/generated"));
  cpSync(path.join(root, CHILD), path.join(dir, CHILD));
  return dir;
}

function measure(cwd: string): { cpuMs: number; digest: string } {
  const tsx = path.join(root, "node_modules/.bin/tsx");
  const result = spawnSync(tsx, [CHILD], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`the measurement in ${cwd} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

const baselineDir = values.against ? unpack(values.against) : undefined;
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
    const after = measure(root);
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
  if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });
}
