// Kill-switch benchmark on the real PostgreSQL: how fast does an engaged switch stop top-ups in other processes, and
// does any top-up get through after the engagement has committed?
//
//   npx tsx scripts/bench/kill-switch.ts [--processes 4] [--measure-seconds 3] [--json] [--keep]
//
// It creates a scratch database (dropped at the end unless --keep), migrates it through openDatabase, creates a few
// customers per process, and starts N worker processes that make top-ups in a loop. It first measures the top-up
// latency with and without the switch read (alternating, same run: the cost of enforcement), then, while every
// worker is topping up, engages topup.all and later topup.credit_card, and reports per process the time from the
// commit to its first refusal and the number of covered top-ups accepted after the commit.
// Goals: first refusal ≤ 1 s after the commit in every process; 0 accepted after the commit.
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { FundingKind } from "~/generated/prisma/enums";
import { createServerDatabase, databaseUrlOn, dropServerDatabase, onServer } from "../../tests/support/postgres-admin";
import { BENCH_ADMIN_URL, BENCH_SCRATCH_PREFIX } from "./lib/bench-database";
import type { Attempt, FromWorker, ToWorker, WorkerCustomer } from "./lib/kill-switch-protocol";
import { preciseNow } from "./lib/kill-switch-protocol";
import { analyseRace, summarise, type RaceResult } from "./lib/kill-switch-stats";

const GOAL_MS = 1000;
const CUSTOMERS_PER_PROCESS = 4;
const ALL_CHANNELS: FundingKind[] = ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"];
const here = path.dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    processes: { type: "string", default: "4" },
    "measure-seconds": { type: "string", default: "3" },
    "admin-url": { type: "string", default: BENCH_ADMIN_URL },
    json: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const PROCESSES = Number(args.processes);
const MEASURE_MS = Number(args["measure-seconds"]) * 1000;
if (!Number.isInteger(PROCESSES) || PROCESSES < 1 || !(MEASURE_MS > 0)) {
  console.error("kill-switch bench: --processes must be ≥ 1 and --measure-seconds > 0");
  process.exit(2);
}

const log = (line: string) => {
  if (!args.json) console.log(line);
};
const ms = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)} ms`);

class Worker {
  private waiting: ((message: FromWorker) => void) | null = null;
  private constructor(readonly child: ChildProcess) {
    child.on("message", (message: FromWorker) => {
      const resolve = this.waiting;
      this.waiting = null;
      if (message.type === "failed") throw new Error(`worker ${child.pid}: ${message.message}`);
      resolve?.(message);
    });
  }

  static async start(url: string, customers: WorkerCustomer[]): Promise<Worker> {
    const child = fork(path.join(here, "lib", "kill-switch-worker.ts"), [], {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        DATABASE_URL: url,
        FIREBREAK_BENCH_CUSTOMERS: JSON.stringify(customers),
        NODE_ENV: "development",
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const worker = new Worker(child);
    await worker.next();
    return worker;
  }

  next(): Promise<FromWorker> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  ask(message: ToWorker): Promise<FromWorker> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }
}

async function main() {
  const adminUrl = args["admin-url"]!;
  const name = `${BENCH_SCRATCH_PREFIX}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await createServerDatabase(adminUrl, name);
  const databaseUrl = databaseUrlOn(adminUrl, name);
  const serverVersion = await onServer(
    adminUrl,
    async (admin) => (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version,
  );
  let workers: Worker[] = [];
  try {
    // Import the app only now: ~/db.server opens (and migrates) the database named by DATABASE_URL at import.
    process.env.DATABASE_URL = databaseUrl;
    const { database, prisma } = await import("~/db.server");
    const { createSimulatedCustomer } = await import("~/wallet/simulated-customers.server");
    const { engageSwitch } = await import("~/killswitch/engage.server");
    const { requestRelease, approveRelease } = await import("~/killswitch/release.server");

    log(`Kill-switch benchmark: PostgreSQL ${serverVersion}, scratch database ${name}, ${PROCESSES} processes`);
    // Absolute latencies depend on what else the machine is doing: say so next to them.
    const load = loadavg().map((l) => l.toFixed(1));
    log(`Machine: ${cpus().length} cores, load average ${load.join(" / ")} at start`);
    const cohorts: WorkerCustomer[][] = [];
    for (let p = 0; p < PROCESSES; p += 1) {
      const cohort: WorkerCustomer[] = [];
      for (let c = 0; c < CUSTOMERS_PER_PROCESS; c += 1) cohort.push(await createSimulatedCustomer(prisma));
      cohorts.push(cohort);
    }
    workers = await Promise.all(cohorts.map((cohort) => Worker.start(databaseUrl, cohort)));
    log(`Workers ready (pids ${workers.map((w) => w.child.pid).join(", ")}).\n`);

    // 1. The cost of the switch read: alternate baseline and checked runs so both see the same warm-up and load.
    const latencies = { baseline: [] as number[], checked: [] as number[] };
    let errors = 0;
    // A warm-up (connections, caches, JIT), then the measured run.
    for (const counted of [false, true]) {
      const replies = await Promise.all(
        workers.map((w) => w.ask({ type: "measure", durationMs: counted ? MEASURE_MS : MEASURE_MS / 3 })),
      );
      for (const reply of replies) {
        if (reply.type !== "measured" || !counted) continue;
        latencies.baseline.push(...reply.baseline);
        latencies.checked.push(...reply.checked);
        errors += reply.errors;
      }
    }
    const baseline = summarise(latencies.baseline);
    const checked = summarise(latencies.checked);
    const ratio = checked.mean / baseline.mean;
    log("Cost of enforcement (top-up latency, all processes, alternating one by one in the same run):");
    log("                         top-ups     mean      p50      p95      p99");
    for (const [label, s] of [
      ["without switch read", baseline],
      ["with switch read", checked],
    ] as const) {
      log(
        `  ${label.padEnd(21)} ${String(s.count).padStart(8)} ${ms(s.mean).padStart(8)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}`,
      );
    }
    log(`  ratio (mean)          ${ratio.toFixed(2)}×   (${errors} errors)\n`);

    // 2. Races: engage a switch while every process is topping up.
    const lead = () => ({
      actor: { kind: "staff" as const, id: randomUUID(), role: "SECURITY_LEAD" as const },
      origin: { ip: null, userAgent: "kill-switch bench", requestId: null },
      steppedUpAt: new Date(),
    });
    const rounds: { key: string; covered: FundingKind[] }[] = [
      { key: "topup.all", covered: ALL_CHANNELS },
      { key: "topup.credit_card", covered: ["CREDIT_CARD"] },
    ];
    const roundResults = [];
    for (const round of rounds) {
      const racing = workers.map((w) => w.ask({ type: "race", covered: round.covered, settleMs: 1500, maxMs: 20_000 }));
      await new Promise((resolve) => setTimeout(resolve, 1500)); // everybody topping up at full speed
      const requestedAt = preciseNow();
      await engageSwitch(lead(), { key: round.key, reason: "kill-switch benchmark" });
      const commitAt = preciseNow();
      const replies = await Promise.all(racing);
      const results: RaceResult[] = replies.map((reply) =>
        analyseRace(reply.type === "raced" ? reply.attempts : ([] as Attempt[]), commitAt, round.covered),
      );
      const release = await requestRelease(lead(), { key: round.key, reason: "benchmark round over" });
      await approveRelease(lead(), { requestId: release.id });
      roundResults.push({ key: round.key, engageMs: commitAt - requestedAt, results });

      log(`Engage ${round.key} (covers ${round.covered.join(", ")}); engage call took ${ms(commitAt - requestedAt)}:`);
      log(
        "  process  attempts  first refusal after commit  accepted after commit  in flight at commit  other channels after",
      );
      results.forEach((r, i) => {
        log(
          `  ${String(i + 1).padEnd(8)} ${String(r.attempts).padStart(8)}  ${ms(r.firstRefusalAfterCommitMs).padStart(26)}  ${String(r.acceptedAfterCommit).padStart(21)}  ${String(r.inFlightAtCommit).padStart(19)}  ${String(r.uncoveredAcceptedAfterCommit).padStart(20)}`,
        );
      });
      if (results.some((r) => (r.firstRefusalAfterCommitMs ?? 0) < 0)) {
        log(
          "  (negative: the worker was refused before the engaging process had received its own commit acknowledgement)",
        );
      }
      const worst = Math.max(...results.map((r) => r.firstRefusalAfterCommitMs ?? Number.POSITIVE_INFINITY));
      const leaked = results.reduce((sum, r) => sum + r.acceptedAfterCommit, 0);
      log(`  worst first refusal: ${ms(worst)} (goal ≤ ${GOAL_MS} ms) · accepted after commit: ${leaked} (goal 0)\n`);
    }

    const worstOverall = Math.max(
      ...roundResults.flatMap((r) => r.results.map((x) => x.firstRefusalAfterCommitMs ?? Number.POSITIVE_INFINITY)),
    );
    const leakedOverall = roundResults.reduce(
      (sum, r) => sum + r.results.reduce((s, x) => s + x.acceptedAfterCommit, 0),
      0,
    );
    const unexpected = roundResults.reduce((sum, r) => sum + r.results.reduce((s, x) => s + x.unexpected, 0), 0);
    const ok = worstOverall <= GOAL_MS && leakedOverall === 0 && unexpected === 0;
    if (args.json) {
      console.log(
        JSON.stringify(
          {
            serverVersion,
            processes: PROCESSES,
            baseline,
            checked,
            ratio,
            rounds: roundResults,
            worstOverall,
            leakedOverall,
            ok,
          },
          null,
          2,
        ),
      );
    } else {
      log(
        ok
          ? "PASS: every process refused within the goal, and nothing was accepted after a commit."
          : "FAIL: see above.",
      );
    }
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve) => {
            w.child.once("exit", resolve);
            w.child.send({ type: "stop" });
          }),
      ),
    );
    workers = [];
    await database.close();
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const worker of workers) worker.child.kill();
    if (!args.keep) await dropServerDatabase(adminUrl, name);
    else log(`Kept the scratch database: ${databaseUrl}`);
  }
}

main().catch((error) => {
  console.error(`kill-switch bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
