// `npx tsx scripts/bench/argon2.ts [--runs 20]`: what one password check costs with the policy's argon2id parameters
// (app/auth/password.server.ts), next to OWASP's minimum and two stronger settings, to justify the choice in
// docs/decisions/004-staff-authentication.md. Also the time of a hash (a new password) and of the dummy verification
// that unknown emails pay, which must match a real one for the sign-in step to give nothing away by its timing.
import os from "node:os";
import { parseArgs } from "node:util";
import { hash, verify } from "@node-rs/argon2";
import { ARGON2_OPTIONS, hashPassword, verifyAgainstDummyHash, verifyPassword } from "~/auth/password.server";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const runs = Math.max(3, Number(values.runs));

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
  return `mean ${mean.toFixed(1)} ms · p50 ${at(0.5).toFixed(1)} · p95 ${at(0.95).toFixed(1)}`;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main() {
  console.log(
    `argon2id on ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, load ${os.loadavg()[0]?.toFixed(2)}`,
  );
  const settings = [
    {
      label: "OWASP minimum   m=19 MiB t=2 p=1",
      options: { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 },
    },
    {
      label: "OWASP alternate m=46 MiB t=1 p=1",
      options: { algorithm: 2, memoryCost: 47_104, timeCost: 1, parallelism: 1 },
    },
    { label: "Firebreak       m=64 MiB t=3 p=1", options: ARGON2_OPTIONS },
  ] as const;
  for (const { label, options } of settings) {
    const stored = await hash("correct horse battery staple", options);
    console.log(`${label}  verify: ${stats(await time(() => verify(stored, "wrong guess", options)))}`);
  }
  const stored = await hashPassword("correct horse battery staple");
  console.log(
    `policy hash (new password):      ${stats(await time(() => hashPassword("correct horse battery staple")))}`,
  );
  console.log(`policy verify (wrong password):  ${stats(await time(() => verifyPassword(stored, "wrong guess")))}`);
  console.log(`dummy verify (unknown email):    ${stats(await time(() => verifyAgainstDummyHash("wrong guess")))}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
