// `npx tsx scripts/bench/policy-history.ts [--runs 3] [--against <git revision>]`: what the /policies page's loader
// waits for to show the ordinary weeks' figures on a web process's first visit (CPU and wall time, each run in a fresh
// process: scripts/bench/lib/policy-history-child.ts). With --against, the same on that revision's app/ (unpacked in
// a temporary directory), alternating with this tree's in the same run; the figures must be the same.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, against: { type: "string" } } });
const runs = Math.max(1, Number(values.runs));
const root = path.resolve(import.meta.dirname, "../..");
const CHILD = "scripts/bench/lib/policy-history-child.ts";

function unpack(revision: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "policy-history-"));
  execFileSync("sh", ["-c", `git archive "${revision}" app tsconfig.json package.json | tar -x -C "${dir}"`], {
    cwd: root,
  });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  rmSync(path.join(dir, "app/generated"), { recursive: true, force: true });
  symlinkSync(path.join(root, "app/generated"), path.join(dir, "app/generated"));
  cpSync(path.join(root, CHILD), path.join(dir, CHILD));
  return dir;
}

interface Sample {
  cpuMs: number;
  wallMs: number;
  figures: string;
}

function measure(cwd: string): Sample {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), [CHILD], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`the measurement in ${cwd} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x < 10 ? x.toFixed(2) : Math.round(x).toString());

const baselineDir = values.against ? unpack(values.against) : undefined;
try {
  const now: Sample[] = [];
  const was: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (baselineDir) was.push(measure(baselineDir));
    now.push(measure(root));
    const before = was.at(-1);
    console.log(
      `run ${i + 1}: ${before ? `${values.against} ${ms(before.cpuMs)} ms CPU / ${ms(before.wallMs)} ms wall, ` : ""}` +
        `this tree ${ms(now.at(-1)!.cpuMs)} ms CPU / ${ms(now.at(-1)!.wallMs)} ms wall`,
    );
  }
  const report = (name: string, xs: Sample[]) =>
    `${name}: median ${ms(median(xs.map((x) => x.cpuMs)))} ms CPU, ${ms(median(xs.map((x) => x.wallMs)))} ms wall`;
  console.log(report("this tree", now));
  if (baselineDir) {
    console.log(report(values.against!, was));
    console.log(
      `ratio of CPU medians: ${(median(was.map((x) => x.cpuMs)) / median(now.map((x) => x.cpuMs))).toFixed(0)}×`,
    );
  }
  const figures = new Set([...now, ...was].map((x) => x.figures));
  if (figures.size !== 1) throw new Error(`the figures differ: ${[...figures].join(" / ")}`);
  console.log(`the same figures in every run: ${[...figures][0]}`);
} finally {
  if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });
}
