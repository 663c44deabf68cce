// `npx tsx scripts/bench/cpu-profile.ts <file.cpuprofile> [--top 40] [--skip-seconds 20] [--callers name]`
//
// Sums up a V8 CPU profile (node --cpu-prof; `load.ts --cpu-prof dir` writes one per console process): the functions
// with the most self time and the most inclusive time, as shares of the samples, the start-up (--skip-seconds) left
// out. --callers lists the call paths into one function, by their share. Functions are named with their package
// (node_modules left out) or file and line.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: "string", default: "40" },
    "skip-seconds": { type: "string", default: "0" },
    callers: { type: "string" },
  },
});
if (positionals.length !== 1) throw new Error("usage: cpu-profile.ts <file.cpuprofile> [--top N]");
const profile = JSON.parse(readFileSync(positionals[0]!, "utf8")) as Profile;
const top = Number(args.top);
const skipMicros = Number(args["skip-seconds"]) * 1_000_000;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const samplesAt = new Map<number, number>();
let total = 0;
let time = profile.startTime;
profile.samples.forEach((id, i) => {
  time += profile.timeDeltas[i]!;
  if (time - profile.startTime < skipMicros) return;
  samplesAt.set(id, (samplesAt.get(id) ?? 0) + 1);
  total += 1;
});

const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/.*node_modules\//, "").replace(/^file:\/\/.*?\/(build|app|scripts)\//, "$1/")}:${node.callFrame.lineNumber + 1}`;
const share = (count: number) => `${((100 * count) / total).toFixed(1).padStart(5)} %`;
const ranked = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);

function ancestors(id: number): number[] {
  const chain: number[] = [];
  for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) chain.push(at);
  return chain;
}

if (args.callers) {
  const paths = new Map<string, number>();
  for (const [id, count] of samplesAt) {
    const chain = [id, ...ancestors(id)];
    // The outermost call of the function on this stack, and the four callers above it.
    const at = chain.findLastIndex((node) => byId.get(node)!.callFrame.functionName === args.callers);
    if (at < 0) continue;
    const path = chain
      .slice(at + 1, at + 5)
      .map((node) => nameOf(byId.get(node)!))
      .join(" < ");
    paths.set(path, (paths.get(path) ?? 0) + count);
  }
  for (const [path, count] of ranked(paths)) console.log(share(count), path);
} else {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of samplesAt) {
    const name = nameOf(byId.get(id)!);
    self.set(name, (self.get(name) ?? 0) + count);
    // A recursive function counts once per sample.
    const seen = new Set<string>();
    for (const node of [id, ...ancestors(id)]) {
      const at = nameOf(byId.get(node)!);
      if (seen.has(at)) continue;
      seen.add(at);
      inclusive.set(at, (inclusive.get(at) ?? 0) + count);
    }
  }
  console.log(`${total} samples.\nSelf time:`);
  for (const [name, count] of ranked(self)) console.log(share(count), name);
  console.log("Inclusive time:");
  for (const [name, count] of ranked(inclusive)) console.log(share(count), name);
}
