// Appending to the hash-chained audit log. Always inside the caller's transaction, so an audit row exists if and only
// if the change it describes was committed.
import type { DbTx } from "~/db.server";
import type { SqlRunner } from "~/db/migrations.server";
import type { AuditOutcome } from "~/generated/prisma/enums";
import { actorId, actorRole, type Actor, type Origin } from "~/audit/actor";
import {
  GENESIS_HASH,
  hashAuditRow,
  hashedJsonText,
  storableText,
  toAuditJson,
  type ChainedAuditFields,
} from "~/audit/canonical";

export type { AuditOutcome };

export interface AuditEventInput {
  actor: Actor;
  origin: Origin;
  action: string;
  outcome: AuditOutcome;
  targetType?: string | null;
  targetId?: string | null;
  incidentId?: string | null;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
  occurredAt?: Date;
}

// One advisory lock serialises chain appends: taken at the very end of a transaction (after the change) and released
// at commit, so writers only queue for the moment it takes to insert one row. Under READ COMMITTED the SELECT that
// follows the lock sees the head committed by the previous holder.
const AUDIT_CHAIN_LOCK_KEY = 72_917_002;

/** Appends in the caller's Prisma transaction (the spine's path). */
export async function appendAuditEvents(tx: DbTx, events: AuditEventInput[]): Promise<bigint[]> {
  return appendAuditEventsWith(
    {
      query: async <T>(text: string, params: unknown[] = []) => ({
        rows: await tx.$queryRawUnsafe<T[]>(text, ...params),
      }),
    },
    events,
  );
}

/**
 * Appends in a transaction opened on the driver (`database.sqlTransaction`): for audit rows that accompany a read
 * (searches, account views), where Prisma's per-statement overhead was most of the request's time.
 */
export async function appendAuditEventsWith(
  sql: Pick<SqlRunner, "query">,
  events: AuditEventInput[],
): Promise<bigint[]> {
  if (events.length === 0) return [];
  await sql.query(`SELECT 1 AS locked FROM pg_advisory_xact_lock($1::bigint)`, [AUDIT_CHAIN_LOCK_KEY]);
  const { rows: head } = await sql.query<{ seq: bigint | string; hash: string }>(
    `SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`,
  );
  let prevSeq = head[0] ? BigInt(head[0].seq) : 0n;
  let prevHash = head[0]?.hash ?? GENESIS_HASH;
  const rows = events.map((event) => {
    const fields: ChainedAuditFields = {
      seq: prevSeq + 1n,
      occurredAt: event.occurredAt ?? new Date(),
      actorId: storableText(actorId(event.actor)),
      actorRole: actorRole(event.actor),
      action: storableText(event.action),
      targetType: storableText(event.targetType ?? null),
      targetId: storableText(event.targetId ?? null),
      incidentId: storableText(event.incidentId ?? null),
      outcome: event.outcome,
      reason: storableText(event.reason ?? null),
      before: toAuditJson(event.before),
      after: toAuditJson(event.after),
      ip: storableText(event.origin.ip),
      userAgent: storableText(event.origin.userAgent),
      requestId: storableText(event.origin.requestId),
      prevHash,
    };
    const hash = hashAuditRow(fields);
    prevSeq += 1n;
    prevHash = hash;
    return {
      ...fields,
      seq: prevSeq,
      occurredAt: new Date(fields.occurredAt),
      hash,
      beforeText: hashedJsonText(fields.before),
      afterText: hashedJsonText(fields.after),
    };
  });
  // One statement whatever the count: the rows travel as a single JSON array parameter. Prisma's createMany builds
  // 17 bind parameters per row, which made auditing a 1,000-reversal batch cost as much as the reversals themselves.
  // JSON null in before/after becomes a database NULL ("no value"), as the hash's canonical form treats it.
  await sql.query(
    `INSERT INTO audit_event (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, incident_id,
                              outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash,
                              before_text, after_text)
     SELECT (r->>'seq')::bigint, (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole', r->>'action',
            r->>'targetType', r->>'targetId', r->>'incidentId', (r->>'outcome')::"AuditOutcome", r->>'reason',
            NULLIF(r->'before', 'null'::jsonb), NULLIF(r->'after', 'null'::jsonb),
            r->>'ip', r->>'userAgent', r->>'requestId', r->>'prevHash', r->>'hash', r->>'beforeText', r->>'afterText'
       FROM jsonb_array_elements($1::jsonb) AS r`,
    [
      JSON.stringify(
        rows.map((row) => ({ ...row, seq: row.seq.toString(), occurredAt: row.occurredAt.toISOString() })),
      ),
    ],
  );
  return rows.map((r) => r.seq);
}

export async function appendAuditEvent(tx: DbTx, event: AuditEventInput): Promise<bigint> {
  const [seq] = await appendAuditEvents(tx, [event]);
  return seq!;
}
