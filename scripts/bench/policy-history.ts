// `npx tsx scripts/bench/policy-history.ts [--runs 3] [--against <git revision>]`: what the /policies page's loader
// waits for to show the ordinary weeks' figures on a web process's first visit (CPU and wall time, each run in a fresh
// process: scripts/bench/lib/policy-history-child.ts). With --against, the same on that revision's app/ (unpacked in
// a temporary directory), alternating with this tree's in the same run; the figures must be the same.
import { parseArgs } from "node:util";
import { removeTree, ROOT, runChild, unpackRevision } from "./lib/revision-tree";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, against: { type: "string" } } });
const runs = Math.max(1, Number(values.runs));
const CHILD = "scripts/bench/lib/policy-history-child.ts";

interface Sample {
  cpuMs: number;
  wallMs: number;
  figures: string;
}

const measure = (cwd: string) => runChild<Sample>(cwd, CHILD);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => (x < 10 ? x.toFixed(2) : Math.round(x).toString());

const baselineDir = values.against ? unpackRevision(values.against, CHILD) : undefined;
try {
  const now: Sample[] = [];
  const was: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (baselineDir) was.push(measure(baselineDir));
    now.push(measure(ROOT));
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
  if (baselineDir) removeTree(baselineDir);
}
