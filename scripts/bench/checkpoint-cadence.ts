// `npx tsx scripts/bench/checkpoint-cadence.ts [--writes 3000] [--writers 4] [--interval-ms 1000] [--keep]`: what
// frequent audit checkpoints (docs/decisions/029-checkpoint-cadence.md) cost the audited write path, on the real
// PostgreSQL, in a scratch database created (and migrated) for the run and dropped after.
//   1. baseline: `writers` concurrent loops append N audit rows through recordAuditEvent (the path every audited read
//      and denial takes), no checkpoint worker                                              → rows/s
//   2. the same N rows again while the checkpoint worker signs the head every --interval-ms (default 1 s, five times
//      the production cadence, so the cost is visible)                                     → rows/s, ratio to 1.
//   3. the cost of one checkpoint: signing the rows written since the previous one, measured on its own → ms
// Both rates come from the same run on the same database; a ratio near 1.00 means checkpoints are nearly free.
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createScratchDatabase } from "./lib/bench-database";
import { callsPerSecond } from "./lib/checks";

const { values: args } = parseArgs({
  options: {
    writes: { type: "string", default: "3000" },
    writers: { type: "string", default: "4" },
    "interval-ms": { type: "string", default: "1000" },
    keep: { type: "boolean", default: false },
  },
});
const WRITES = Number(args.writes);
const WRITERS = Number(args.writers);
const INTERVAL_MS = Number(args["interval-ms"]);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main() {
  const scratch = await createScratchDatabase("cp");
  process.env.DATABASE_URL = scratch.url;
  // The checkpoint log goes with the scratch database unless the caller names one (or keeps the database).
  const ownLog = process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG === undefined;
  process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG ??= path.join(tmpdir(), `${scratch.name}.checkpoints.jsonl`);
  try {
    // Imported only now: ~/db.server opens DATABASE_URL on import.
    const { recordAuditEvent } = await import("~/audit/perform-action.server");
    const { startAuditCheckpointWorker } = await import("~/audit/checkpoint-worker.server");
    const { signCheckpoint } = await import("~/audit/checkpoint-service.server");
    const { database, prisma } = await import("~/db.server");

    const write = (count: number) =>
      callsPerSecond(count, WRITERS, () =>
        recordAuditEvent({
          actor: { kind: "system", id: "system:bench" },
          origin: { ip: null, userAgent: null, requestId: null },
          action: "bench.write",
          outcome: "SUCCESS",
          targetType: "customer",
          targetId: randomUUID(),
          after: { note: "benchmark row" },
        }),
      );

    await write(Math.min(300, WRITES)); // warm-up: connections, prepared plans
    await signCheckpoint(database, "cli");
    const baseline = await write(WRITES);
    console.log(`1. baseline, no checkpoints       ${fmt(baseline)} rows/s (${WRITES} rows, ${WRITERS} writers)`);

    const before = await prisma.auditCheckpoint.count();
    const stop = startAuditCheckpointWorker({
      intervalMs: INTERVAL_MS,
      initialDelayMs: INTERVAL_MS,
      log: { info: () => undefined, error: (m: unknown) => console.error(m) },
    });
    const withCheckpoints = await write(WRITES);
    await stop();
    const signed = (await prisma.auditCheckpoint.count()) - before;
    console.log(
      `2. checkpoint every ${INTERVAL_MS} ms       ${fmt(withCheckpoints)} rows/s (${signed} checkpoints signed meanwhile)`,
    );
    console.log(`   ratio to baseline              ${(withCheckpoints / baseline).toFixed(2)}×`);

    const batch = Math.round((baseline * INTERVAL_MS) / 1000);
    await write(batch);
    const started = performance.now();
    await signCheckpoint(database, "cli");
    console.log(
      `3. one checkpoint over ${fmt(batch)} new rows  ${(performance.now() - started).toFixed(1)} ms (verify + sign + insert)`,
    );
    await database.close();
  } finally {
    if (!args.keep) {
      await scratch.drop();
      if (ownLog) await rm(process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG, { force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
