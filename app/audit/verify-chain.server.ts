// Verifies the audit chain end to end and names the first bad row. Reads in keyset-paginated batches through raw SQL
// (Prisma's per-row overhead would dominate at millions of rows) and hashes in process. The next batch is fetched while
// the current one is hashed, so the database and the hashing overlap (scripts/bench/audit.ts measures it). Batches are
// small on purpose: rows that die young stay in V8's young generation; 20,000-row batches got promoted and garbage
// collection then cost more than the hashing.
import type { SqlRunner } from "~/db/migrations.server";
import { GENESIS_HASH, hashAuditRow, type ChainedAuditFields } from "~/audit/canonical";
import {
  CANONICAL_PARTS_COLUMNS,
  canonicalTextFromParts,
  sha256Hex,
  type CanonicalParts,
} from "~/audit/canonical-row-text";

export type ChainProblem =
  | "SEQUENCE_GAP" // a row is missing (deleted) or numbered out of order
  | "CONTENT_MODIFIED" // the row's content no longer matches its own hash
  | "BROKEN_LINK"; // the row does not point at the hash of the row before it (inserted, reordered or re-chained)

export interface ChainVerification {
  ok: boolean;
  rowsChecked: number;
  headSeq: string | null;
  headHash: string;
  firstBad?: { seq: string; problem: ChainProblem; detail: string };
}

export interface VerifyChainOptions {
  onProgress?: (rows: number) => void;
  /** Start after a row that is already trusted (a verified checkpoint) instead of at the genesis. */
  after?: { seq: bigint; hash: string };
  /** Stop after this sequence number (default: the last row). */
  through?: bigint;
  /** Sequence numbers whose stored hash the caller wants back (checkpoint positions), collected in the same pass. */
  capture?: ReadonlySet<string>;
  batchSize?: number;
}

export interface ChainVerificationDetail extends ChainVerification {
  /** Stored hashes at the requested `capture` positions that were reached before the first bad row (if any). */
  captured: Map<string, string>;
}

const DEFAULT_BATCH_SIZE = 2_000;
const MAX_SEQ = "9223372036854775807";

function selectBatch(batchSize: number): string {
  return `SELECT ${CANONICAL_PARTS_COLUMNS}
    FROM audit_event WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY audit_event.seq LIMIT ${batchSize}`;
}

const SELECT_ONE = `SELECT seq::text AS seq, occurred_at AS "occurredAt", actor_id AS "actorId", actor_role AS "actorRole",
    action, target_type AS "targetType", target_id AS "targetId", incident_id AS "incidentId", outcome::text AS outcome,
    reason, before, after, ip, user_agent AS "userAgent", request_id AS "requestId", prev_hash AS "prevHash", hash
  FROM audit_event WHERE seq = $1::bigint`;

/** The authority: the row read field by field and hashed by canonical.ts, as the writer hashed it. */
async function matchesStoredHashExactly(sql: SqlRunner, seq: string): Promise<boolean> {
  const { rows } = await sql.query<ChainedAuditFields & { hash: string }>(SELECT_ONE, [seq]);
  const row = rows[0];
  return row !== undefined && hashAuditRow(row) === row.hash;
}

function matchesStoredHashFast(row: CanonicalParts): boolean {
  try {
    return sha256Hex(canonicalTextFromParts(row)) === row.hash;
  } catch {
    return false; // unparsable JSON text: let the exact path decide
  }
}

export async function verifyAuditChain(
  sql: SqlRunner,
  options: VerifyChainOptions = {},
): Promise<ChainVerificationDetail> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const query = selectBatch(batchSize);
  const through = options.through?.toString() ?? MAX_SEQ;
  const capture = options.capture;
  const captured = new Map<string, string>();
  let expectedSeq = (options.after?.seq ?? 0n) + 1n;
  let previousHash = options.after?.hash ?? GENESIS_HASH;
  let rowsChecked = 0;
  let headSeq: string | null = options.after ? options.after.seq.toString() : null;

  const fetch = (afterSeq: string) => sql.query<CanonicalParts>(query, [afterSeq, through]).then((r) => r.rows);
  let pending: Promise<CanonicalParts[]> | null = fetch((expectedSeq - 1n).toString());

  // Defined once, not per row: this loop runs millions of times.
  const fail = (problem: ChainProblem, badSeq: bigint, detail: string): ChainVerificationDetail => ({
    ok: false,
    rowsChecked,
    headSeq,
    headHash: previousHash,
    firstBad: { seq: badSeq.toString(), problem, detail },
    captured,
  });

  try {
    while (pending) {
      const rows: CanonicalParts[] = await pending;
      // Fetch the next batch now; hash this one while the database works on it.
      pending = rows.length === batchSize ? fetch(rows[rows.length - 1]!.seq) : null;
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq !== expectedSeq) {
          return seq > expectedSeq
            ? fail("SEQUENCE_GAP", expectedSeq, `row ${expectedSeq} is missing (next row is ${seq})`)
            : fail("SEQUENCE_GAP", seq, `expected sequence ${expectedSeq}, found ${seq}`);
        }
        // The link first: a row that was inserted, moved, or whose predecessor was edited and re-hashed shows up here,
        // at the row where the chain stops agreeing; a row edited in place keeps its link and fails the content check.
        if (row.prevHash !== previousHash) {
          return fail(
            "BROKEN_LINK",
            seq,
            seq === 1n
              ? "row 1 does not start from the genesis hash"
              : `row ${seq} does not point at the hash of row ${seq - 1n}: row ${seq - 1n} was changed and re-hashed, ` +
                  `or rows were inserted, removed or moved here`,
          );
        }
        if (!matchesStoredHashFast(row) && !(await matchesStoredHashExactly(sql, row.seq))) {
          return fail("CONTENT_MODIFIED", seq, `row ${seq} does not match its stored hash: its content was changed`);
        }
        if (capture?.has(row.seq)) captured.set(row.seq, row.hash);
        previousHash = row.hash;
        headSeq = row.seq;
        expectedSeq = seq + 1n;
        rowsChecked += 1;
      }
      options.onProgress?.(rowsChecked);
    }
  } finally {
    // Leaving early (a bad row) with a batch still in flight: its result is not needed, its failure is not news.
    pending?.catch(() => undefined);
  }
  return { ok: true, rowsChecked, headSeq, headHash: previousHash, captured };
}
