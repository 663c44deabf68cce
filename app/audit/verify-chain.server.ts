// Verifies the audit chain end to end and names the first bad row. Reads in keyset-paginated batches through raw SQL
// (Prisma's per-row overhead would dominate at millions of rows) and hashes in process.
import type { SqlRunner } from "~/db/migrations.server";
import { GENESIS_HASH, hashAuditRow, type ChainedAuditFields } from "~/audit/canonical";

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

interface AuditRowFromDb extends Omit<ChainedAuditFields, "seq"> {
  seq: string | number | bigint;
  hash: string;
}

const BATCH_SIZE = 10_000;

const SELECT_BATCH = `
  SELECT seq::text AS seq, occurred_at AS "occurredAt", actor_id AS "actorId", actor_role AS "actorRole", action,
         target_type AS "targetType", target_id AS "targetId", incident_id AS "incidentId", outcome::text AS outcome,
         reason, before, after, ip, user_agent AS "userAgent", request_id AS "requestId",
         prev_hash AS "prevHash", hash
    FROM audit_event WHERE seq > $1::bigint ORDER BY seq LIMIT ${BATCH_SIZE}`;

export async function verifyAuditChain(sql: SqlRunner, options: { onProgress?: (rows: number) => void } = {}) {
  let expectedSeq = 1n;
  let previousHash = GENESIS_HASH;
  let rowsChecked = 0;
  let headSeq: string | null = null;

  for (;;) {
    const { rows } = await sql.query<AuditRowFromDb>(SELECT_BATCH, [String(expectedSeq - 1n)]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = BigInt(row.seq);
      const fail = (problem: ChainProblem, detail: string): ChainVerification => ({
        ok: false,
        rowsChecked,
        headSeq,
        headHash: previousHash,
        firstBad: { seq: seq.toString(), problem, detail },
      });
      if (seq !== expectedSeq) {
        return {
          ...fail("SEQUENCE_GAP", `expected sequence ${expectedSeq}, found ${seq}`),
          firstBad: {
            seq: expectedSeq.toString(),
            problem: "SEQUENCE_GAP",
            detail: `row ${expectedSeq} is missing (next row is ${seq})`,
          },
        };
      }
      if (hashAuditRow({ ...row, seq }) !== row.hash) {
        return fail("CONTENT_MODIFIED", `row ${seq} does not match its stored hash`);
      }
      if (row.prevHash !== previousHash) {
        return fail("BROKEN_LINK", `row ${seq} does not point at the hash of row ${seq - 1n}`);
      }
      previousHash = row.hash;
      headSeq = seq.toString();
      expectedSeq = seq + 1n;
      rowsChecked += 1;
    }
    options.onProgress?.(rowsChecked);
  }
  return { ok: true, rowsChecked, headSeq, headHash: previousHash } satisfies ChainVerification;
}
