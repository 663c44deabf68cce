// Who makes checkpoints: a staff member on demand (through the audited spine, so the request itself is on record), the
// scheduled worker and the CLI (scripts/audit-checkpoint.ts). The latter two are not audited as events: a checkpoint row
// is its own append-only record, and auditing it would move the head every time, so there would always be a new head
// to sign.
import type { AuditDb } from "~/audit/audit-search.server";
import { database } from "~/db.server";
import { sealAuditIntake, sealAuditIntakeNow } from "~/audit/audit-log.server";
import { appendToCheckpointLog, checkpointLogPath } from "~/audit/checkpoint-log.server";
import { createAuditCheckpoint, type CheckpointOutcome, type StoredCheckpoint } from "~/audit/checkpoint.server";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { signCheckpoint as signStatement } from "~/audit/signatures";
import { AuditKeyError, loadAuditSigningKey, loadTrustedKeys } from "~/audit/signing-key.server";
import { sqlRunnerOf } from "~/audit/sql-runner.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

function signingKeyOrExplain() {
  try {
    return loadAuditSigningKey();
  } catch (error) {
    if (error instanceof AuditKeyError) throw new DomainError("AUDIT_SIGNING_KEY_MISSING", error.message, 503);
    throw error;
  }
}

function describeOutcome(outcome: CheckpointOutcome) {
  if (outcome.status === "empty") return { status: "empty" };
  return {
    status: outcome.status,
    checkpointId: outcome.checkpoint.id,
    seq: outcome.checkpoint.seq,
    headHash: outcome.checkpoint.headHash,
    keyId: outcome.checkpoint.keyId,
  };
}

/** "Sign checkpoint now" from the integrity page. */
export async function signCheckpointNow(ctx: ActionContext): Promise<CheckpointOutcome> {
  // Rows committed to the intake but not yet chained would otherwise wait for the next checkpoint.
  await sealAuditIntake(database.sql);
  const outcome = await performAction(
    ctx,
    { action: "audit.checkpoint", permission: "audit:verify", targetType: "audit_checkpoint" },
    async (tx) => {
      const key = signingKeyOrExplain();
      const outcome = await createAuditCheckpoint(sqlRunnerOf(tx), {
        key,
        trusted: loadTrustedKeys(),
        createdBy: ctx.actor.kind === "staff" ? `staff:${ctx.actor.id}` : "system",
        signedAt: now(),
      });
      return {
        result: outcome,
        targetId: outcome.status === "empty" ? undefined : outcome.checkpoint.id,
        after: describeOutcome(outcome),
      };
    },
  );
  // After the commit: the external copy must never describe a checkpoint that was rolled back.
  if (outcome.status === "created") await appendToCheckpointLog(outcome.checkpoint);
  return outcome;
}

/** A checkpoint outside any request (worker, CLI). Throws AuditIntegrityError when the chain does not verify. */
export async function signCheckpoint(db: AuditDb, createdBy: "schedule" | "cli"): Promise<CheckpointOutcome> {
  const key = signingKeyOrExplain();
  const trusted = loadTrustedKeys();
  // Seal before signing: the head then covers every audit row committed until now, including any a crashed process
  // left in the intake.
  await sealAuditIntakeNow(db.sql);
  const outcome = await db.sqlTransaction((tx) =>
    createAuditCheckpoint(tx, { key, trusted, createdBy, signedAt: now() }),
  );
  if (outcome.status === "created") await appendToCheckpointLog(outcome.checkpoint);
  return outcome;
}

/** `createdBy` (and `id`) of a head note: a signed head that exists only in the outside copy. */
export const HEAD_NOTE = "head-note";

let lastNotedHead: string | null = null;

/**
 * Copies the chain head, signed, to the outside copy without writing a checkpoint row (ADR 040): every second or so,
 * so that rows cut from the tail are named by the copy even between checkpoints, without the database (and every
 * verification) carrying a row per second forever. Nothing to do without an outside copy. Returns the note written,
 * or null when there is no copy or the head has not moved since this process last noted it.
 */
export async function noteChainHead(db: AuditDb): Promise<StoredCheckpoint | null> {
  const file = checkpointLogPath();
  if (!file) return null;
  const key = signingKeyOrExplain();
  await sealAuditIntakeNow(db.sql);
  // The seal (and an audited read's append) commits without waiting for its WAL flush. A transaction that wrote WAL
  // of its own waits for the flush at commit — one that only took a transaction id writes none and does not wait — and
  // the flush covers everything before it in the WAL: the head read here is durable before anything outside the
  // database hears of it.
  const head = await db.sqlTransaction(async (tx) => {
    await tx.query(`SELECT pg_logical_emit_message(true, 'firebreak', 'audit head noted') AS lsn`);
    const { rows } = await tx.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, hash FROM audit_event ORDER BY audit_event.seq DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  });
  if (!head || `${file}#${head.seq}` === lastNotedHead) return null;
  const signedAt = now().toISOString();
  const note: StoredCheckpoint = {
    id: HEAD_NOTE,
    seq: head.seq,
    headHash: head.hash,
    signedAt,
    keyId: key.keyId,
    publicKeyFingerprint: key.fingerprint,
    algorithm: "Ed25519",
    signature: signStatement(
      { seq: head.seq, headHash: head.hash, signedAt, publicKeyFingerprint: key.fingerprint },
      key.privateKey,
    ),
    createdBy: HEAD_NOTE,
  };
  await appendToCheckpointLog(note);
  lastNotedHead = `${file}#${head.seq}`;
  return note;
}
