// The baseline of the audit benchmarks: the same audit row, durable in its own autocommit INSERT, into a copy of
// audit_event (same columns and indexes, no triggers) numbered from a sequence, with no hash and no chain — what an
// audit row costs when nothing orders it against the others.
import type { AuditEventInput } from "~/audit/audit-log.server";
import { actorId, actorRole } from "~/audit/actor";
import type { SqlRunner } from "~/db/sql-runner.server";

type Sql = Pick<SqlRunner, "query">;

export async function createNoChainTable(sql: Sql): Promise<void> {
  await sql.query(`CREATE TABLE bench_audit_no_chain (LIKE audit_event INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await sql.query(`CREATE SEQUENCE bench_audit_no_chain_seq`);
}

export async function dropNoChainTable(sql: Sql): Promise<void> {
  await sql.query(`DROP TABLE IF EXISTS bench_audit_no_chain`);
  await sql.query(`DROP SEQUENCE IF EXISTS bench_audit_no_chain_seq`);
}

/** One event as the JSON object the unchained inserts read (the intake's field names). */
export function noChainRow(event: AuditEventInput) {
  return {
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    actorId: actorId(event.actor),
    actorRole: actorRole(event.actor),
    action: event.action,
    targetType: event.targetType ?? null,
    outcome: event.outcome,
    after: event.after ?? null,
    ip: event.origin.ip,
    userAgent: event.origin.userAgent,
    requestId: event.origin.requestId,
    afterText: JSON.stringify(event.after ?? null),
  };
}

const NO_CHAIN_INSERT = `INSERT INTO bench_audit_no_chain (seq, occurred_at, actor_id, actor_role, action, target_type,
     target_id, incident_id, outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash, before_text,
     after_text)
   SELECT nextval('bench_audit_no_chain_seq'), (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole',
          r->>'action', r->>'targetType', r->>'targetId', r->>'incidentId', (r->>'outcome')::"AuditOutcome",
          r->>'reason', NULLIF(r->'before', 'null'::jsonb), NULLIF(r->'after', 'null'::jsonb), r->>'ip',
          r->>'userAgent', r->>'requestId', '', nextval('bench_audit_no_chain_seq')::text, r->>'beforeText',
          r->>'afterText'
     FROM jsonb_array_elements($1::jsonb) AS r`;

/** Writes one event without the chain: one round trip, committed (and flushed) on its own. */
export async function insertNoChain(sql: Sql, event: AuditEventInput): Promise<void> {
  await sql.query(NO_CHAIN_INSERT, [JSON.stringify([noChainRow(event)])]);
}
