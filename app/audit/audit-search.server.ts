// The audit view's query: filters → one WHERE clause, keyset pagination by seq (never OFFSET: page 20,000 costs what
// page 1 costs), newest first. Every filter column has a (column, seq) index (migration 20261128004000), so a page is an
// index range scan that stops after PAGE_SIZE + 1 rows. On PostgreSQL each search runs read-only under a statement
// timeout, so an unselective search ends with a message instead of holding a connection.
import type { ChainedAuditFields } from "~/audit/canonical";
import type { ReadOnlySettings } from "~/db/open-database.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { PAGE_SIZE, type AuditFilter } from "~/audit/audit-filter";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

/** The slice of Database the audit read paths need (tests pass scratch databases). */
export interface AuditDb {
  sql: SqlRunner;
  mode: "embedded" | "postgresql";
  sqlTransaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  readOnlySql(settings?: ReadOnlySettings): SqlRunner;
}

/** A filter whose names have been looked up: staff emails → ids, incident codes → ids. */
export interface ResolvedFilter extends AuditFilter {
  actorIds?: string[];
  incidentIds?: string[];
}

/** One audit row as the audit pages show it: the chained fields, numbers and times as text, and the names looked up. */
export interface AuditRowView extends Omit<ChainedAuditFields, "seq" | "occurredAt"> {
  seq: string;
  occurredAt: string;
  actorLabel: string | null;
  incidentCode: string | null;
  hash: string;
}

export interface AuditPage {
  rows: AuditRowView[];
  /** Pass as `before` to see older rows; null on the last page. */
  olderCursor: string | null;
  /** Pass as `after` to see newer rows; null on the first page. */
  newerCursor: string | null;
}

export const SEARCH_TIMEOUT_MS = 10_000;

/** Looks up the names a person types (staff email, incident code). Unknown emails are a clear error, not "no rows". */
export async function resolveAuditFilter(sql: SqlRunner, filter: AuditFilter): Promise<ResolvedFilter> {
  const resolved: ResolvedFilter = { ...filter };
  if (filter.actor) {
    if (filter.actor.includes("@")) {
      const { rows } = await sql.query<{ id: string }>(
        "SELECT id::text AS id FROM staff_user WHERE lower(email) = lower($1)",
        [filter.actor],
      );
      if (rows.length === 0) {
        throw new DomainError("AUDIT_UNKNOWN_ACTOR", `No staff member has the email "${filter.actor}".`, 400, {
          email: filter.actor,
        });
      }
      resolved.actorIds = rows.map((r) => r.id);
    } else {
      resolved.actorIds = [filter.actor];
    }
  }
  if (filter.incident) {
    // audit_event.incident_id is free text: match the value as typed and the id of an incident with that code.
    const { rows } = await sql.query<{ id: string }>(
      "SELECT id::text AS id FROM incident WHERE code = $1 OR id::text = $1",
      [filter.incident],
    );
    resolved.incidentIds = [...new Set([filter.incident, ...rows.map((r) => r.id)])];
  }
  return resolved;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE conditions for a filter, with their parameters numbered from `params.length + 1`. */
export function filterConditions(filter: ResolvedFilter, params: unknown[]): string[] {
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const anyOf = (column: string, values: string[]) => `${column} IN (${values.map((v) => bind(v)).join(", ")})`;
  const conditions: string[] = [];
  if (filter.fromUtc) conditions.push(`occurred_at >= ${bind(filter.fromUtc)}::timestamptz`);
  if (filter.toUtc) conditions.push(`occurred_at < ${bind(filter.toUtc)}::timestamptz`);
  if (filter.actorIds) conditions.push(anyOf("actor_id", filter.actorIds));
  else if (filter.actor) conditions.push(`actor_id = ${bind(filter.actor)}`);
  if (filter.role === "ANONYMOUS") conditions.push("actor_role IS NULL");
  else if (filter.role) conditions.push(`actor_role = ${bind(filter.role)}`);
  if (filter.action?.endsWith(".*")) {
    conditions.push(`action LIKE ${bind(`${escapeLike(filter.action.slice(0, -1))}%`)}`);
  } else if (filter.action) {
    conditions.push(`action = ${bind(filter.action)}`);
  }
  if (filter.targetType) conditions.push(`target_type = ${bind(filter.targetType)}`);
  if (filter.targetId) conditions.push(`target_id = ${bind(filter.targetId)}`);
  if (filter.outcome) conditions.push(`outcome = ${bind(filter.outcome)}::"AuditOutcome"`);
  if (filter.incidentIds) conditions.push(anyOf("incident_id", filter.incidentIds));
  else if (filter.incident) conditions.push(`incident_id = ${bind(filter.incident)}`);
  if (filter.q) conditions.push(`reason ILIKE ${bind(`%${escapeLike(filter.q)}%`)}`);
  return conditions;
}

const VIEW_COLUMNS = `seq::text AS seq, occurred_at AS "occurredAt", actor_id AS "actorId", actor_role AS "actorRole",
  action, target_type AS "targetType", target_id AS "targetId", incident_id AS "incidentId", outcome::text AS outcome,
  reason, before, after, ip, user_agent AS "userAgent", request_id AS "requestId", prev_hash AS "prevHash", hash`;

type RawViewRow = Omit<AuditRowView, "occurredAt" | "actorLabel" | "incidentCode"> & { occurredAt: Date | string };

function isQueryCancelled(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "57014";
}

/** Runs read-only work under the search timeout on PostgreSQL; PGlite (one local connection) runs it as is. */
export async function withSearchBudget<T>(db: AuditDb, work: (sql: SqlRunner) => Promise<T>): Promise<T> {
  if (db.mode !== "postgresql") return work(db.sql);
  try {
    // Connections that are read-only under the timeout from the start: no BEGIN, SET or COMMIT round trips (ADR 062).
    return await work(db.readOnlySql({ statementTimeoutMs: SEARCH_TIMEOUT_MS }));
  } catch (error) {
    if (isQueryCancelled(error)) {
      throw new DomainError(
        "AUDIT_SEARCH_TOO_SLOW",
        `This search took longer than ${SEARCH_TIMEOUT_MS / 1000} s and was stopped. Narrow the time range or add an ` +
          "actor, action, target or incident filter.",
        422,
        { seconds: SEARCH_TIMEOUT_MS / 1000 },
      );
    }
    throw error;
  }
}

async function labelActors(sql: SqlRunner, rows: RawViewRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => !!id && isUuid(id)))];
  if (ids.length === 0) return new Map();
  const { rows: staff } = await sql.query<{ id: string; email: string }>(
    `SELECT id::text AS id, email FROM staff_user WHERE id::text IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`,
    ids,
  );
  return new Map(staff.map((s) => [s.id, s.email]));
}

async function labelIncidents(sql: SqlRunner, rows: RawViewRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.incidentId).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map();
  const { rows: incidents } = await sql.query<{ id: string; code: string }>(
    `SELECT id::text AS id, code FROM incident WHERE id::text IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`,
    ids,
  );
  return new Map(incidents.map((i) => [i.id, i.code]));
}

export async function searchAuditLog(
  db: AuditDb,
  filter: ResolvedFilter,
  cursor: { before?: bigint; after?: bigint } = {},
): Promise<AuditPage> {
  return withSearchBudget(db, async (sql) => {
    const params: unknown[] = [];
    const conditions = filterConditions(filter, params);
    const forward = cursor.after !== undefined;
    if (cursor.before !== undefined) conditions.push(`seq < $${params.push(cursor.before.toString())}::bigint`);
    if (cursor.after !== undefined) conditions.push(`seq > $${params.push(cursor.after.toString())}::bigint`);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    const { rows: fetched } = await sql.query<RawViewRow>(
      `SELECT ${VIEW_COLUMNS} FROM audit_event ${where}
        ORDER BY audit_event.seq ${forward ? "ASC" : "DESC"} LIMIT ${PAGE_SIZE + 1}`,
      params,
    );
    const more = fetched.length > PAGE_SIZE;
    const page = fetched.slice(0, PAGE_SIZE);
    if (forward) page.reverse();

    // Is there anything on the other side of the cursor? One indexed probe, not a count.
    let otherSide = false;
    const boundary = forward ? cursor.after : cursor.before;
    if (boundary !== undefined) {
      const probeParams: unknown[] = [];
      const probe = filterConditions(filter, probeParams);
      probe.push(`seq ${forward ? "<=" : ">="} $${probeParams.push(boundary.toString())}::bigint`);
      const { rows } = await sql.query(`SELECT 1 FROM audit_event WHERE ${probe.join(" AND ")} LIMIT 1`, probeParams);
      otherSide = rows.length > 0;
    }
    const hasOlder = forward ? otherSide : more;
    const hasNewer = forward ? more : otherSide;

    const [actors, incidents] = await Promise.all([labelActors(sql, page), labelIncidents(sql, page)]);
    const rows: AuditRowView[] = page.map((row) => ({
      ...row,
      occurredAt: new Date(row.occurredAt).toISOString(),
      actorLabel: row.actorId ? (actors.get(row.actorId) ?? null) : null,
      incidentCode: row.incidentId ? (incidents.get(row.incidentId) ?? null) : null,
    }));
    return {
      rows,
      olderCursor: hasOlder && rows.length > 0 ? rows[rows.length - 1]!.seq : null,
      newerCursor: hasNewer && rows.length > 0 ? rows[0]!.seq : null,
    };
  });
}

/** The distinct values of an indexed column, by a recursive skip scan (fast at millions of rows, unlike DISTINCT). */
async function distinctValues(sql: SqlRunner, column: "action" | "target_type", limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ value: string }>(
    `WITH RECURSIVE v AS (
       (SELECT ${column} AS value FROM audit_event WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
       UNION ALL
       SELECT (SELECT ${column} FROM audit_event WHERE ${column} > v.value ORDER BY ${column} LIMIT 1) FROM v
        WHERE v.value IS NOT NULL
     ) SELECT value FROM v WHERE value IS NOT NULL LIMIT ${limit}`,
  );
  return rows.map((r) => r.value);
}

export interface FilterChoices {
  actions: string[];
  targetTypes: string[];
  incidents: { id: string; code: string; title: string }[];
}

export async function loadFilterChoices(sql: SqlRunner): Promise<FilterChoices> {
  const [actions, targetTypes, incidents] = await Promise.all([
    distinctValues(sql, "action", 300),
    distinctValues(sql, "target_type", 100),
    sql.query<{ id: string; code: string; title: string }>(
      "SELECT id::text AS id, code, title FROM incident ORDER BY opened_at DESC LIMIT 50",
    ),
  ]);
  return { actions, targetTypes, incidents: incidents.rows };
}

/** The newest sequence number (the chain head), or null for an empty log. */
export async function readHeadSeq(sql: SqlRunner): Promise<bigint | null> {
  const { rows } = await sql.query<{ seq: string }>(
    "SELECT seq::text AS seq FROM audit_event ORDER BY audit_event.seq DESC LIMIT 1",
  );
  return rows[0] ? BigInt(rows[0].seq) : null;
}
