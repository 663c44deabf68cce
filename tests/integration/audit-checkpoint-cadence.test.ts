// The audit trail cannot be shortened unnoticed: the worker signs the head every few seconds and copies each
// checkpoint outside the database; deleting the newest rows together with the checkpoints that cover them passes a
// database-only verification but is named by one against the outside copy. Production refuses to run the worker
// without that copy.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readCheckpointLog } from "~/audit/checkpoint-log.server";
import { HEAD_NOTE, noteChainHead, signCheckpoint } from "~/audit/checkpoint-service.server";
import { CheckpointLogRequiredError, startAuditCheckpointWorker } from "~/audit/checkpoint-worker.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { loadTrustedKeys } from "~/audit/signing-key.server";
import { verifyAuditTrail } from "~/audit/verify-trail.server";
import { database } from "~/db.server";

const previousLog = process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG;
afterEach(() => {
  if (previousLog === undefined) delete process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG;
  else process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG = previousLog;
});

const quiet = { info: () => undefined, error: (m: unknown) => console.error(m) };

async function writeRows(n: number) {
  for (let i = 0; i < n; i++) {
    await recordAuditEvent({
      actor: { kind: "system", id: "system:test" },
      origin: { ip: null, userAgent: null, requestId: null },
      action: "test.cadence",
      outcome: "SUCCESS",
      targetId: randomUUID(),
    });
  }
}

async function headSeq(): Promise<bigint> {
  const { rows } = await database.sql.query<{ seq: string }>(
    `SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event`,
  );
  return BigInt(rows[0]!.seq);
}

describe("checkpoint cadence and the outside copy", () => {
  it("refuses to start in production without an outside copy", () => {
    delete process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG;
    expect(() => startAuditCheckpointWorker({ requireOutsideCopy: true, log: quiet })).toThrow(
      CheckpointLogRequiredError,
    );
  });

  it("signs new rows within seconds, copies them outside, and names a truncated tail", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "firebreak-cp-")), "checkpoints.jsonl");
    process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG = file;
    await writeRows(3);
    const stop = startAuditCheckpointWorker({ initialDelayMs: 0, intervalMs: 1_000, log: quiet });
    try {
      const firstHead = await headSeq();
      await expect
        .poll(async () => (await readCheckpointLog(file).catch(() => [])).some((c) => BigInt(c.seq) >= firstHead), {
          timeout: 15_000,
        })
        .toBe(true);
      await writeRows(6);
      const head = await headSeq();
      // The next tick signs the batch of six in one checkpoint.
      await expect
        .poll(async () => (await readCheckpointLog(file)).some((c) => BigInt(c.seq) === head), { timeout: 15_000 })
        .toBe(true);
    } finally {
      await stop();
    }
    const head = await headSeq();
    const cut = head - 4n; // the attacker deletes the four newest rows and every checkpoint that covers them
    const outside = await readCheckpointLog(file);
    const trusted = loadTrustedKeys();
    const ROLLBACK = new Error("rollback");
    let withoutCopy: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    let withCopy: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    await database
      .sqlTransaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = replica");
        await tx.query(`DELETE FROM audit_event WHERE seq > $1::bigint`, [cut.toString()]);
        await tx.query(`DELETE FROM audit_checkpoint WHERE seq > $1::bigint`, [cut.toString()]);
        await tx.query("SET LOCAL session_replication_role = origin");
        withoutCopy = await verifyAuditTrail(tx, { trusted });
        withCopy = await verifyAuditTrail(tx, { trusted, externalCheckpoints: outside });
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    // What the database alone can no longer tell…
    expect(withoutCopy!.ok).toBe(true);
    // …the outside copy names: the missing checkpoint and the deleted rows.
    expect(withCopy!.ok).toBe(false);
    expect(withCopy!.problems.map((p) => p.problem)).toContain("CHECKPOINT_MISSING");
    const beyond = withCopy!.problems.find((p) => p.problem === "CHECKPOINT_BEYOND_HEAD");
    expect(beyond?.seq).toBe((cut + 1n).toString());
    expect(beyond?.detail).toContain(`rows ${cut + 1n}–${head} were deleted`);
  });

  it("notes the sealed head outside between checkpoints, so a tail cut before the next checkpoint is named", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "firebreak-note-")), "checkpoints.jsonl");
    process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG = file;
    await writeRows(2);
    await signCheckpoint(database, "cli");
    const checkpointed = await headSeq();
    await writeRows(5);
    // The worker notes the head every few hundred milliseconds here; its next checkpoint is a minute away.
    const stop = startAuditCheckpointWorker({
      initialDelayMs: 60_000,
      intervalMs: 60_000,
      headNoteIntervalMs: 200,
      log: quiet,
    });
    const head = await headSeq();
    try {
      await expect
        .poll(
          async () => (await readCheckpointLog(file)).some((c) => c.createdBy === HEAD_NOTE && BigInt(c.seq) === head),
          { timeout: 15_000 },
        )
        .toBe(true);
    } finally {
      await stop();
    }
    expect(await noteChainHead(database)).toBeNull(); // an unchanged head is not noted twice
    expect(await headSeq()).toBe(head);

    const cut = head - 3n; // rows after the last checkpoint: no checkpoint row covers them
    expect(cut).toBeGreaterThan(checkpointed);
    const outside = await readCheckpointLog(file);
    const trusted = loadTrustedKeys();
    const ROLLBACK = new Error("rollback");
    let withoutCopy: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    let withCopy: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    let untouched: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    await database
      .sqlTransaction(async (tx) => {
        untouched = await verifyAuditTrail(tx, { trusted, externalCheckpoints: outside });
        await tx.query("SET LOCAL session_replication_role = replica");
        await tx.query(`DELETE FROM audit_event WHERE seq > $1::bigint`, [cut.toString()]);
        await tx.query("SET LOCAL session_replication_role = origin");
        withoutCopy = await verifyAuditTrail(tx, { trusted });
        withCopy = await verifyAuditTrail(tx, { trusted, externalCheckpoints: outside });
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    // Notes are not database rows: an intact trail with its outside copy verifies, nothing reported missing.
    expect(untouched!.problems).toEqual([]);
    expect(untouched!.ok).toBe(true);
    expect(withoutCopy!.ok).toBe(true);
    expect(withCopy!.ok).toBe(false);
    expect(withCopy!.problems.map((p) => p.problem)).toEqual(["CHECKPOINT_BEYOND_HEAD"]);
    expect(withCopy!.problems[0]!.detail).toContain(`rows ${cut + 1n}–${head} were deleted`);
  });
});
