// Enqueueing a job: the job row and all its items, written inside the caller's audited action.
import { randomUUID } from "node:crypto";
import type { Role } from "~/auth/permissions";
import type { DbTx } from "~/db.server";
import type { JobItemInput } from "~/jobs/job-handlers.server";
import { now } from "~/lib/clock.server";
import { intArray, textArray } from "~/ledger/sql-array";

export interface EnqueueJobInput {
  kind: string;
  params: unknown;
  /** What the dry run promised (shown next to the progress, kept for the report). */
  totals: unknown;
  items: JobItemInput[];
  createdBy: { id: string; role: Role };
  incidentId?: string | null;
  /** The confirming form's key: enqueueing again with it returns the existing job instead of a second one. */
  idempotencyKey?: string | null;
  at?: Date;
}

export class JobAlreadyEnqueued extends Error {
  constructor(readonly jobId: string) {
    super(`a job with this idempotency key exists: ${jobId}`);
  }
}

// Items go in as arrays of this many rows: one statement each, well under the driver's parameter and size limits.
const ITEMS_PER_INSERT = 10_000;

/**
 * Creates the job and its items inside the caller's transaction (normally the audited action that confirmed it).
 * Throws JobAlreadyEnqueued when the idempotency key was used before (the caller answers with that job).
 */
export async function enqueueJob(tx: DbTx, input: EnqueueJobInput): Promise<{ id: string; itemsTotal: number }> {
  const at = input.at ?? now();
  const id = randomUUID();
  if (input.idempotencyKey) {
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO bulk_job (id, kind, idempotency_key, status, params, totals, incident_id, created_by_id, created_by_role,
                            created_at, items_total)
      VALUES (${id}::uuid, ${input.kind}, ${input.idempotencyKey}, 'QUEUED', ${JSON.stringify(input.params)}::jsonb,
              ${JSON.stringify(input.totals)}::jsonb, ${input.incidentId ?? null}::uuid, ${input.createdBy.id}::uuid,
              ${input.createdBy.role}, ${at}, ${input.items.length})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id`;
    if (claimed.length === 0) {
      const existing = await tx.bulkJob.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } });
      throw new JobAlreadyEnqueued(existing.id);
    }
  } else {
    await tx.bulkJob.create({
      data: {
        id,
        kind: input.kind,
        status: "QUEUED",
        params: input.params as object,
        totals: input.totals as object,
        incidentId: input.incidentId ?? null,
        createdById: input.createdBy.id,
        createdByRole: input.createdBy.role,
        createdAt: at,
        itemsTotal: input.items.length,
      },
    });
  }
  for (let from = 0; from < input.items.length; from += ITEMS_PER_INSERT) {
    const chunk = input.items.slice(from, from + ITEMS_PER_INSERT);
    await tx.$executeRawUnsafe(
      `INSERT INTO bulk_job_item (job_id, seq, phase, subject_id, customer_id, amount)
       SELECT $1::uuid, s.seq, s.phase, s.subject_id, s.customer_id, s.amount
         FROM unnest($2::text::int4[], $3::text::int4[], $4::text::uuid[], $5::text::uuid[], $6::text::int4[])
           AS s(seq, phase, subject_id, customer_id, amount)`,
      id,
      intArray(chunk.map((_, k) => from + k)),
      intArray(chunk.map((item) => item.phase ?? 0)),
      textArray(chunk.map((item) => item.subjectId)),
      textArray(chunk.map((item) => item.customerId ?? null)),
      intArray(chunk.map((item) => item.amount ?? null)),
    );
  }
  return { id, itemsTotal: input.items.length };
}
