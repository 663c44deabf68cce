// Verifies the audit chain end to end and names the first bad row, in two tiers (ADR 015):
//   1. In the database, range by range: PostgreSQL rebuilds each row's canonical text (the hashed before/after JSON is
//      stored beside the jsonb), hashes it with its own sha256(), checks every link with lag() and checks the stored text
//      still parses to the jsonb the console shows. Only one summary row per range comes back, so millions of rows never
//      cross the driver; ranges run on several connections at once where the database has them.
//   2. In Node, row by row, for any range the first tier did not accept (a tampered row, rows written before the
//      hashed text was stored, a query that failed): the authority, which reports exactly which row is bad and why.
// A range is accepted only when the database vouches for every row in it and its first row links to the hash the
// previous range ended on; anything else, including a database error, falls to the second tier.
import type { SqlRunner } from "~/db/migrations.server";
import { GENESIS_HASH, hashAuditRow, type ChainedAuditFields } from "~/audit/canonical";
import {
  CANONICAL_HEAD_SQL,
  CANONICAL_PARTS_COLUMNS,
  CANONICAL_TAIL_SQL,
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
  /** Rows per range the database checks in one statement (tier 1). */
  rangeSize?: number;
  /** Ranges checked at once; more than one only helps where the database has several connections and cores. */
  concurrency?: number;
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

/**
 * The second tier: reads rows in keyset batches and hashes them in process. The next batch is fetched while the current
 * one is hashed. Batches are small on purpose: rows that die young stay in V8's young generation; 20,000-row batches got
 * promoted and garbage collection then cost more than the hashing.
 */
async function verifyRowByRow(sql: SqlRunner, options: VerifyChainOptions): Promise<ChainVerificationDetail> {
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

const DEFAULT_RANGE_SIZE = 25_000;
const DEFAULT_CONCURRENCY = 2;

// A stored before/after text vouches for the row only if it is the very JSON the console shows: NULL exactly when the
// jsonb is NULL, and otherwise parsing to an equal jsonb value.
const hashedTextMatches = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN ${column}_text IS NULL
        ELSE ${column}_text IS NOT NULL AND ${column} = ${column}_text::jsonb END`;

/**
 * Tier 1 for the rows (from, to]: how many there are, whether every one of them re-hashes to its stored hash and links
 * to the row before it (the first one to the anchor, row `from`), the anchor's stored hash and row `to`'s, and the
 * stored hashes at the requested capture positions. bool_and skips NULLs, so no verdict may be NULL.
 */
const RANGE_CHECK = `
  WITH anchor AS (
    SELECT CASE WHEN $1::bigint = 0 THEN '${GENESIS_HASH}'
                ELSE (SELECT hash FROM audit_event WHERE seq = $1::bigint) END AS hash
  )
  SELECT count(*)::int AS rows,
         coalesce(bool_and(sound), true) AS sound,
         (SELECT hash FROM anchor) AS "anchorHash",
         max(hash) FILTER (WHERE seq = $2::bigint) AS "lastHash",
         coalesce(array_agg(seq::text || ':' || hash) FILTER (WHERE seq = ANY($3::bigint[])), '{}') AS captured
    FROM (SELECT seq, hash,
                 -- CASE keeps the order: the stored texts are parsed only for rows that re-hash, so a text that is
                 -- not JSON fails the hash instead of aborting the statement (bar a forger who re-hashed it too).
                 CASE WHEN prev_hash IS DISTINCT FROM coalesce(lag(hash) OVER (ORDER BY seq), (SELECT hash FROM anchor))
                        THEN false
                      WHEN hash IS DISTINCT FROM encode(sha256(convert_to(${CANONICAL_HEAD_SQL} ||
                             coalesce(after_text, 'null') || ',"before":' || coalesce(before_text, 'null') ||
                             ${CANONICAL_TAIL_SQL}, 'UTF8')), 'hex')
                        THEN false
                      ELSE coalesce(${hashedTextMatches("before")} AND ${hashedTextMatches("after")}, false)
                 END AS sound
            FROM audit_event WHERE seq > $1::bigint AND seq <= $2::bigint) AS row_checks`;

interface RangeCheck {
  rows: number;
  sound: boolean;
  anchorHash: string | null;
  lastHash: string | null;
  captured: string[];
}

async function checkRangeInDatabase(
  sql: SqlRunner,
  from: bigint,
  to: bigint,
  capture: readonly string[],
): Promise<RangeCheck | null> {
  try {
    const { rows } = await sql.query<RangeCheck>(RANGE_CHECK, [from.toString(), to.toString(), capture]);
    return rows[0] ?? null;
  } catch (error) {
    console.warn(
      `[audit] the database could not check rows ${from + 1n}–${to} (${error instanceof Error ? error.message : error}); ` +
        "verifying them row by row",
    );
    // Only a forger who stored a text that is not JSON and re-hashed it gets here: the row-by-row tier, which hashes the
    // jsonb itself, looks at the range instead (inside a transaction the failed statement aborts it, and that error
    // reaches the caller: a checkpoint is then refused rather than signed).
    return null;
  }
}

export async function verifyAuditChain(
  sql: SqlRunner,
  options: VerifyChainOptions = {},
): Promise<ChainVerificationDetail> {
  const rangeSize = BigInt(options.rangeSize ?? DEFAULT_RANGE_SIZE);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const { rows: head } = await sql.query<{ last: string | null }>(
    `SELECT max(seq)::text AS last FROM audit_event WHERE seq <= $1::bigint`,
    [options.through?.toString() ?? MAX_SEQ],
  );
  const start = options.after?.seq ?? 0n;
  const last = head[0]?.last ? BigInt(head[0].last) : 0n;
  const capture = [...(options.capture ?? [])];
  const captured = new Map<string, string>();
  let previousHash = options.after?.hash ?? GENESIS_HASH;
  let headSeq: string | null = options.after ? start.toString() : null;
  let rowsChecked = 0;

  const ranges: [bigint, bigint][] = [];
  for (let from = start; from < last; from += rangeSize)
    ranges.push([from, from + rangeSize < last ? from + rangeSize : last]);
  const checks = new Map<number, Promise<RangeCheck | null>>();
  const launch = (index: number) => {
    const range = ranges[index];
    if (range && !checks.has(index)) checks.set(index, checkRangeInDatabase(sql, range[0], range[1], capture));
  };

  try {
    for (let index = 0; index < ranges.length; index += 1) {
      for (let ahead = index; ahead < index + concurrency; ahead += 1) launch(ahead);
      const [from, to] = ranges[index]!;
      const check = await checks.get(index)!;
      checks.delete(index);
      const accepted =
        check !== null &&
        check.sound &&
        check.rows === Number(to - from) &&
        check.anchorHash === previousHash &&
        check.lastHash !== null;
      if (accepted) {
        for (const entry of check.captured) {
          const [seq, hash] = entry.split(":") as [string, string];
          captured.set(seq, hash);
        }
        previousHash = check.lastHash!;
        headSeq = to.toString();
        rowsChecked += check.rows;
        options.onProgress?.(rowsChecked);
        continue;
      }
      const detail = await verifyRowByRow(sql, {
        ...options,
        after: from === 0n ? undefined : { seq: from, hash: previousHash },
        through: to,
        onProgress: (rows) => options.onProgress?.(rowsChecked + rows),
      });
      for (const [seq, hash] of detail.captured) captured.set(seq, hash);
      rowsChecked += detail.rowsChecked;
      if (!detail.ok) return { ...detail, rowsChecked, captured };
      previousHash = detail.headHash;
      headSeq = detail.headSeq;
    }
  } finally {
    // Leaving early (a bad row) with ranges still in flight: their results are not needed, their failures not news.
    for (const pending of checks.values()) pending.catch(() => undefined);
  }
  return { ok: true, rowsChecked, headSeq, headHash: previousHash, captured };
}
