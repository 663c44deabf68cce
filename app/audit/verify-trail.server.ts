// Full verification of the audit trail: every row of the chain (verify-chain.server.ts) and every signed checkpoint —
// its signature under a trusted public key, and that the chain still has the signed hash at the signed position. Used by
// the "Verify chain" button, `npm run audit:verify` and the benchmark. Names the first bad row.
//
// What each check catches:
//   row edited, deleted, inserted, reordered        → the chain itself (CONTENT_MODIFIED, SEQUENCE_GAP, BROKEN_LINK)
//   every row re-hashed consistently from the start → CHECKPOINT_MISMATCH (the chain no longer has the signed hash)
//   newest rows deleted (the chain still verifies)  → CHECKPOINT_BEYOND_HEAD
//   a checkpoint forged or edited                   → CHECKPOINT_SIGNATURE_INVALID / CHECKPOINT_UNTRUSTED_KEY
//   checkpoint rows deleted (external log given)    → CHECKPOINT_MISSING, and the logged copies are checked instead
//   newest rows deleted between checkpoints         → CHECKPOINT_BEYOND_HEAD against the newest head note in the
//                                                     outside copy (signed heads that never were database rows)
//   a committed intake row deleted before its seal  → INTAKE_ROW_MISSING (its writer slot's number is named)
import type { SqlRunner } from "~/db/migrations.server";
import {
  checkCheckpointSignature,
  listCheckpoints,
  type CheckpointSignatureStatus,
  type StoredCheckpoint,
} from "~/audit/checkpoint.server";
import type { TrustedKeys } from "~/audit/signatures";
import { verifyAuditChain, type ChainProblem, type ChainVerification } from "~/audit/verify-chain.server";
import { findMissingIntakeRows } from "~/audit/verify-intake.server";

export type CheckpointProblem =
  | "CHECKPOINT_SIGNATURE_INVALID"
  | "CHECKPOINT_UNTRUSTED_KEY"
  | "CHECKPOINT_MISMATCH"
  | "CHECKPOINT_BEYOND_HEAD"
  | "CHECKPOINT_MISSING"
  | "INTAKE_ROW_MISSING";

export interface TrailProblem {
  /** The first row that can no longer be trusted (for a bad checkpoint: the row it names). */
  seq: string;
  problem: ChainProblem | CheckpointProblem;
  detail: string;
  checkpointId?: string;
}

export interface AuditTrailVerification {
  ok: boolean;
  chain: Omit<ChainVerification, "firstBad">;
  checkpoints: {
    total: number;
    valid: number;
    /** The newest checkpoint whose signature verified and whose hash the chain still has. */
    latestGood: { id: string; seq: string; signedAt: string } | null;
    /** Rows written after the latest good checkpoint: not yet protected against a rewrite. */
    rowsAfterLatestGood: number;
  };
  firstBad: TrailProblem | null;
  /** Every problem found (the chain's first bad row and every bad checkpoint), in order of seq. */
  problems: TrailProblem[];
  warnings: string[];
  trustedKeyFingerprints: string[];
  durationMs: number;
}

// Kept in step with HEAD_NOTE in checkpoint-service.server.ts (not imported: that module opens the database).
const HEAD_NOTE = "head-note";
const isHeadNote = (cp: StoredCheckpoint) => cp.createdBy === HEAD_NOTE;
// Checkpoints at the same seq in the order they were made; a head note after them.
const orderOf = (cp: StoredCheckpoint) => (isHeadNote(cp) ? 2n ** 63n : BigInt(cp.id));

function checkpointLabel(cp: StoredCheckpoint): string {
  if (isHeadNote(cp)) return `the head note in the outside copy (seq ${cp.seq}, signed ${cp.signedAt} by ${cp.keyId})`;
  return `checkpoint #${cp.id} (seq ${cp.seq}, signed ${cp.signedAt} by ${cp.keyId})`;
}

function signatureProblem(cp: StoredCheckpoint, status: CheckpointSignatureStatus): TrailProblem | null {
  if (status === "valid") return null;
  if (status === "untrusted-key") {
    return {
      seq: cp.seq,
      problem: "CHECKPOINT_UNTRUSTED_KEY",
      checkpointId: cp.id,
      detail:
        `${checkpointLabel(cp)} is signed by a key that is not trusted. If the signing key was rotated, list the old ` +
        "public key in FIREBREAK_AUDIT_TRUSTED_KEYS (or pass it with --public-key); otherwise the checkpoint is forged.",
    };
  }
  return {
    seq: cp.seq,
    problem: "CHECKPOINT_SIGNATURE_INVALID",
    checkpointId: cp.id,
    detail: `${checkpointLabel(cp)} has a signature that does not verify: the checkpoint was forged or altered.`,
  };
}

function bySeq(a: TrailProblem, b: TrailProblem): number {
  const diff = BigInt(a.seq) - BigInt(b.seq);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

const sameCheckpoint = (a: StoredCheckpoint, b: StoredCheckpoint) =>
  a.seq === b.seq && a.headHash === b.headHash && a.signature === b.signature;

export interface VerifyTrailOptions {
  trusted: TrustedKeys;
  /** Copies of checkpoints kept outside the database (app/audit/checkpoint-log.server.ts). */
  externalCheckpoints?: StoredCheckpoint[];
  onProgress?: (rows: number) => void;
}

export async function verifyAuditTrail(sql: SqlRunner, options: VerifyTrailOptions): Promise<AuditTrailVerification> {
  const started = performance.now();
  const stored = await listCheckpoints(sql);
  const problems: TrailProblem[] = [];
  // Logged checkpoints the database no longer has are reported, then checked against the chain like the others.
  const external = options.externalCheckpoints ?? [];
  const missing = external
    .filter((logged) => !isHeadNote(logged))
    .filter((logged) => !stored.some((s) => sameCheckpoint(s, logged)));
  // Head notes were never rows, so none is "missing"; the newest one (by seq) says how long the chain was at least,
  // and is checked like a checkpoint. Older notes add nothing the newest and the checkpoints do not already say.
  const newestNote = external
    .filter(isHeadNote)
    .reduce<StoredCheckpoint | null>(
      (newest, note) => (newest && BigInt(newest.seq) >= BigInt(note.seq) ? newest : note),
      null,
    );
  for (const cp of missing) {
    problems.push({
      seq: cp.seq,
      problem: "CHECKPOINT_MISSING",
      checkpointId: cp.id,
      detail:
        `${checkpointLabel(cp)} is in the external checkpoint log but not in the database: checkpoint rows were ` +
        "deleted or altered.",
    });
  }
  const checkpoints = [...stored, ...missing, ...(newestNote ? [newestNote] : [])].sort((a, b) => {
    const diff = BigInt(a.seq) - BigInt(b.seq) || orderOf(a) - orderOf(b);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  }); // oldest first
  const statuses = checkpoints.map((cp) => checkCheckpointSignature(cp, options.trusted));
  const capture = new Set(checkpoints.map((cp) => cp.seq));
  const chain = await verifyAuditChain(sql, { capture, onProgress: options.onProgress });

  if (chain.firstBad) problems.push({ ...chain.firstBad });
  const verifiedThrough = BigInt(chain.headSeq ?? "0");
  let lastMatchingSeq = 0n;
  let latestGood: StoredCheckpoint | null = null;
  let valid = 0;
  checkpoints.forEach((cp, i) => {
    const bad = signatureProblem(cp, statuses[i]!);
    if (bad) {
      problems.push(bad);
      return;
    }
    valid += 1;
    const seq = BigInt(cp.seq);
    if (seq > verifiedThrough) {
      // Only meaningful when the chain verified to its end: then rows that were signed no longer exist.
      if (chain.ok) {
        problems.push({
          seq: (verifiedThrough + 1n).toString(),
          problem: "CHECKPOINT_BEYOND_HEAD",
          checkpointId: cp.id,
          detail:
            `${checkpointLabel(cp)} vouches for rows up to ${cp.seq}, but the chain ends at row ${verifiedThrough}: ` +
            `rows ${verifiedThrough + 1n}–${cp.seq} were deleted.`,
        });
      }
      return;
    }
    if (chain.captured.get(cp.seq) !== cp.headHash) {
      problems.push({
        seq: (lastMatchingSeq + 1n).toString(),
        problem: "CHECKPOINT_MISMATCH",
        checkpointId: cp.id,
        detail:
          `Row ${cp.seq} no longer has the hash signed by ${checkpointLabel(cp)}, although every row still links to ` +
          `the one before: the chain was rewritten between rows ${lastMatchingSeq + 1n} and ${cp.seq}.`,
      });
      return;
    }
    lastMatchingSeq = seq;
    latestGood = cp;
  });
  // Rows that never reached the chain have no seq: they are reported just past the head, where they would have gone.
  for (const lost of await findMissingIntakeRows(sql)) {
    const gone = lost.taken - lost.accountedFor;
    problems.push({
      seq: (verifiedThrough + 1n).toString(),
      problem: "INTAKE_ROW_MISSING",
      detail:
        gone > 0n
          ? `Writer slot ${lost.slot} committed ${lost.taken} audit row(s) to the intake, but only ` +
            `${lost.accountedFor} are in the chain or still waiting: ${gone} committed row(s) were deleted before ` +
            `they were sealed (number(s) ${lost.missing.join(", ")}${BigInt(lost.missing.length) < gone ? ", …" : ""}).`
          : `Writer slot ${lost.slot} counts ${lost.taken} audit row(s) taken, but ${lost.accountedFor} are in the ` +
            "chain or waiting: the intake's counters were altered.",
    });
  }
  problems.sort(bySeq);

  const warnings: string[] = [];
  const good = latestGood as StoredCheckpoint | null;
  const rowsAfterLatestGood = Number(verifiedThrough - (good ? BigInt(good.seq) : 0n));
  if (options.trusted.size === 0) {
    warnings.push("No trusted public key is configured: checkpoint signatures could not be checked.");
  }
  if (checkpoints.length === 0 && chain.rowsChecked > 0) {
    warnings.push(
      "There are no signed checkpoints yet: a chain rewritten from the start could not be detected. " +
        "Run `npx tsx scripts/audit-checkpoint.ts` or use “Sign checkpoint now”.",
    );
  } else if (rowsAfterLatestGood > 0 && problems.length === 0) {
    warnings.push(
      `${rowsAfterLatestGood.toLocaleString("en-US")} row(s) after the latest checkpoint are not yet covered by a ` +
        "signature (the next scheduled checkpoint will cover them).",
    );
  }

  const { firstBad: _firstBad, captured: _captured, ...chainSummary } = chain;
  return {
    ok: problems.length === 0,
    chain: chainSummary,
    checkpoints: {
      total: checkpoints.length,
      valid,
      latestGood: good ? { id: good.id, seq: good.seq, signedAt: good.signedAt } : null,
      rowsAfterLatestGood,
    },
    firstBad: problems[0] ?? null,
    problems,
    warnings,
    trustedKeyFingerprints: [...options.trusted.keys()],
    durationMs: Math.round(performance.now() - started),
  };
}
