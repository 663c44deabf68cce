// `FIREBREAK_DATA_DIR=memory:// npx tsx scripts/bench/sign-in-timing.ts [--runs 30]`: does the sign-in step's timing
// tell an unknown email from a wrong password? Serves the Remix build in-process (run `npx remix build` first) and
// times the two kinds of failed attempt over HTTP, interleaved so load changes hit both alike. Each request comes from
// its own client address, so the per-address throttle does not kick in. Not a test: timings belong in benchmarks.
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "30" } } });
const runs = Math.max(5, Number(values.runs));

function summary(samples: number[]): { mean: number; p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { mean: samples.reduce((s, x) => s + x, 0) / samples.length, p50: at(0.5), p95: at(0.95) };
}

async function main() {
  process.env.FIREBREAK_DATA_DIR ??= "memory://";
  const { startHttpApp, createClient } = await import("../../tests/support/http-app");
  const { createStaff } = await import("../../tests/support/staff");
  const app = await startHttpApp();
  const staff = await createStaff();
  const timings = { unknown: [] as number[], wrong: [] as number[] };
  const attempt = async (email: string) => {
    const started = performance.now();
    const response = await createClient(app).post("/sign-in", { email, password: "not the password 123" });
    await response.arrayBuffer();
    if (response.status !== 400) throw new Error(`expected 400, got ${response.status}`);
    return performance.now() - started;
  };
  await attempt(staff.email); // warm-up (first render, dummy hash)
  await attempt("warm-up@bench.test");
  for (let i = 0; i < runs; i++) {
    // Wrong passwords lock the account after 10: use a fresh member every 9 attempts.
    const target = i % 9 === 8 ? (await createStaff()).email : staff.email;
    if (i % 2 === 0) {
      timings.wrong.push(await attempt(target));
      timings.unknown.push(await attempt(`nobody-${i}@bench.test`));
    } else {
      timings.unknown.push(await attempt(`nobody-${i}@bench.test`));
      timings.wrong.push(await attempt(target));
    }
  }
  const wrong = summary(timings.wrong);
  const unknown = summary(timings.unknown);
  const fmt = (s: typeof wrong) => `mean ${s.mean.toFixed(1)} ms · p50 ${s.p50.toFixed(1)} · p95 ${s.p95.toFixed(1)}`;
  console.log(`wrong password (known email): ${fmt(wrong)}`);
  console.log(`unknown email:                ${fmt(unknown)}`);
  console.log(`difference of medians: ${(wrong.p50 - unknown.p50).toFixed(1)} ms over ${runs} pairs`);
  await app.close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
