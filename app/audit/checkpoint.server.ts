// Signed checkpoints of the audit chain: "row <seq> had hash <headHash>", signed with the Ed25519 key held outside the
// database (app/audit/signing-key.server.ts). Someone able to rewrite every audit row (and re-hash the chain so that it
// verifies) cannot produce signatures for the new hashes, so the verifier catches the rewrite at the first checkpoint.
//
// A checkpoint only signs a chain that verifies: the rows since the previous checkpoint (whose signature and hash are
// checked first) or, without one, the whole chain. Writers of checkpoints serialise on an advisory lock.
import type { SqlRunner } from "~/db/migrations.server";
import type { AuditSigningKey } from "~/audit/signing-key.server";
import { signCheckpoint, verifyCheckpointSignature, type TrustedKeys } from "~/audit/signatures";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { DomainError } from "~/lib/domain-error";

const AUDIT_CHECKPOINT_LOCK_KEY = 72_917_003;

export interface StoredCheckpoint {
  id: string;
  seq: string;
  headHash: string;
  signedAt: string;
  keyId: string;
  publicKeyFingerprint: string;
  algorithm: string;
  signature: string;
  createdBy: string;
}

export type CheckpointOutcome =
  | { status: "created"; checkpoint: StoredCheckpoint; rowsVerified: number }
  | { status: "unchanged"; checkpoint: StoredCheckpoint }
  | { status: "empty" };

/** The chain does not verify: nothing is signed, and the message says where it broke. */
export class AuditIntegrityError extends DomainError {
  constructor(message: string) {
    super("AUDIT_CHAIN_BROKEN", message, 409);
    this.name = "AuditIntegrityError";
  }
}

export const CHECKPOINT_COLUMNS = `id::text AS id, seq::text AS seq, head_hash AS "headHash",
  to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "signedAt", key_id AS "keyId",
  public_key_fingerprint AS "publicKeyFingerprint", algorithm, signature, created_by AS "createdBy"`;

export function statementOf(checkpoint: StoredCheckpoint) {
  return {
    seq: checkpoint.seq,
    headHash: checkpoint.headHash,
    signedAt: checkpoint.signedAt,
    publicKeyFingerprint: checkpoint.publicKeyFingerprint,
  };
}

export type CheckpointSignatureStatus = "valid" | "invalid" | "untrusted-key";

export function checkCheckpointSignature(
  checkpoint: StoredCheckpoint,
  trusted: TrustedKeys,
): CheckpointSignatureStatus {
  const key = trusted.get(checkpoint.publicKeyFingerprint);
  if (!key) return "untrusted-key";
  if (checkpoint.algorithm !== "Ed25519") return "invalid";
  return verifyCheckpointSignature(statementOf(checkpoint), checkpoint.signature, key) ? "valid" : "invalid";
}

export async function listCheckpoints(sql: SqlRunner, options: { limit?: number } = {}): Promise<StoredCheckpoint[]> {
  const limit = options.limit === undefined ? "" : `LIMIT ${Math.max(1, Math.floor(options.limit))}`;
  // Qualified: a bare `seq` here would name the text column the select list makes of it, and "9" sorts after "12".
  const { rows } = await sql.query<StoredCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint
     ORDER BY audit_checkpoint.seq DESC, audit_checkpoint.id DESC ${limit}`,
  );
  return rows;
}

async function readHead(sql: SqlRunner): Promise<{ seq: string; hash: string } | null> {
  const { rows } = await sql.query<{ seq: string; hash: string }>(
    "SELECT seq::text AS seq, hash FROM audit_event ORDER BY audit_event.seq DESC LIMIT 1",
  );
  return rows[0] ?? null;
}

/**
 * Signs the current chain head. Must run inside a transaction (`sql` bound to it): the advisory lock is held to commit.
 * `signedAt` comes from the caller so tests and the test clock control it.
 */
export async function createAuditCheckpoint(
  sql: SqlRunner,
  options: { key: AuditSigningKey; trusted: TrustedKeys; createdBy: string; signedAt: Date },
): Promise<CheckpointOutcome> {
  // Selecting the void result itself would trip Prisma's raw-query decoder (inside the spine's transaction).
  await sql.query("SELECT true AS locked FROM pg_advisory_xact_lock($1::bigint)", [AUDIT_CHECKPOINT_LOCK_KEY]);
  const head = await readHead(sql);
  if (!head) return { status: "empty" };
  const [latest] = await listCheckpoints(sql, { limit: 1 });

  // Start from the latest checkpoint only if it is genuine and the chain still agrees with it.
  let after: { seq: bigint; hash: string } | undefined;
  if (latest) {
    const status = checkCheckpointSignature(latest, options.trusted);
    if (status === "invalid") {
      throw new AuditIntegrityError(
        `Checkpoint #${latest.id} (seq ${latest.seq}) has a signature that does not verify. Nothing was signed; ` +
          "run `npm run audit:verify` and investigate before signing again.",
      );
    }
    const { rows } = await sql.query<{ hash: string }>("SELECT hash FROM audit_event WHERE seq = $1::bigint", [
      latest.seq,
    ]);
    if (rows[0]?.hash !== latest.headHash) {
      throw new AuditIntegrityError(
        `Row ${latest.seq} no longer has the hash signed by checkpoint #${latest.id}: the chain was rewritten. ` +
          "Nothing was signed; run `npm run audit:verify`.",
      );
    }
    if (latest.seq === head.seq) return { status: "unchanged", checkpoint: latest };
    // A checkpoint by a key we no longer trust (rotated away without being listed) is not a starting point.
    if (status === "valid") after = { seq: BigInt(latest.seq), hash: latest.headHash };
  }

  const verification = await verifyAuditChain(sql, { after, through: BigInt(head.seq) });
  if (!verification.ok || verification.headSeq !== head.seq) {
    const bad = verification.firstBad;
    throw new AuditIntegrityError(
      bad
        ? `The audit chain is broken at row ${bad.seq} (${bad.problem}: ${bad.detail}). Nothing was signed.`
        : `The audit chain ends at row ${verification.headSeq ?? 0}, not at the head ${head.seq}. Nothing was signed.`,
    );
  }

  const signedAt = options.signedAt.toISOString();
  const signature = signCheckpoint(
    { seq: head.seq, headHash: head.hash, signedAt, publicKeyFingerprint: options.key.fingerprint },
    options.key.privateKey,
  );
  const { rows } = await sql.query<StoredCheckpoint>(
    `INSERT INTO audit_checkpoint (seq, head_hash, signed_at, key_id, public_key_fingerprint, algorithm, signature,
       created_by)
     VALUES ($1::bigint, $2, $3::timestamptz, $4, $5, 'Ed25519', $6, $7)
     RETURNING ${CHECKPOINT_COLUMNS}`,
    [head.seq, head.hash, signedAt, options.key.keyId, options.key.fingerprint, signature, options.createdBy],
  );
  return { status: "created", checkpoint: rows[0]!, rowsVerified: verification.rowsChecked };
}
