// A job's items: which are still to do (lowest phase first) and settling a batch's outcomes, exactly once.
import { prisma, type DbTx } from "~/db.server";
import type { ItemOutcome, JobItem } from "~/jobs/job-handlers.server";
import { intArray, textArray } from "~/ledger/sql-array";

export async function hasPendingItems(jobId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ present: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM bulk_job_item WHERE job_id = ${jobId}::uuid AND status = 'PENDING') AS present`;
  return rows[0]?.present === true;
}

/**
 * The next batch: up to `limit` PENDING items of the lowest phase still pending, in order. Read before a batch's
 * transaction (to prepare it) and again inside it, where the job's row lock makes the answer final.
 */
export async function nextPendingItems(db: Pick<DbTx, "$queryRaw">, jobId: string, limit: number): Promise<JobItem[]> {
  const rows = await db.$queryRaw<
    { id: bigint; seq: number; phase: number; subject_id: string; customer_id: string | null; amount: number | null }[]
  >`
    SELECT id, seq, phase, subject_id, customer_id, amount FROM bulk_job_item
     WHERE job_id = ${jobId}::uuid AND status = 'PENDING'
       AND phase = (SELECT MIN(phase) FROM bulk_job_item WHERE job_id = ${jobId}::uuid AND status = 'PENDING')
     ORDER BY seq
     LIMIT ${limit}`;
  return rows.map((r) => ({
    id: BigInt(r.id),
    seq: r.seq,
    phase: r.phase,
    subjectId: r.subject_id,
    customerId: r.customer_id,
    amount: r.amount,
  }));
}

/** Settles exactly the batch's items; only PENDING items change, so an item settled before fails the batch. */
export async function settleItems(tx: DbTx, jobId: string, items: JobItem[], outcomes: ItemOutcome[], at: Date) {
  const byId = new Map(outcomes.map((o) => [o.itemId, o]));
  if (byId.size !== items.length || items.some((item) => !byId.has(item.id))) {
    throw new Error(`job ${jobId}: the handler must settle exactly the ${items.length} items it was given`);
  }
  const settled = await tx.$executeRawUnsafe(
    `UPDATE bulk_job_item i
        SET status = s.status::"BulkJobItemStatus", result_id = s.result_id, result_amount = s.result_amount,
            error_code = s.error_code, error_message = s.error_message, processed_at = $8
       FROM unnest($1::text::int8[], $2::text::text[], $3::text::uuid[], $4::text::int4[], $5::text::text[],
                   $6::text::text[]) AS s(id, status, result_id, result_amount, error_code, error_message)
      WHERE i.id = s.id AND i.job_id = $7::uuid AND i.status = 'PENDING'`,
    intArray(outcomes.map((o) => o.itemId)),
    textArray(outcomes.map((o) => o.status)),
    textArray(outcomes.map((o) => o.resultId ?? null)),
    intArray(outcomes.map((o) => o.resultAmount ?? null)),
    textArray(outcomes.map((o) => o.errorCode ?? null)),
    textArray(outcomes.map((o) => (o.errorMessage ?? null)?.slice(0, 500) ?? null)),
    jobId,
    at,
  );
  if (settled !== items.length) throw new Error(`job ${jobId}: ${items.length - settled} items were already settled`);
}
