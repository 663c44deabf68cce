// The operational state operators watch, read straight from the database (shared by every process): for /metrics
// and the dashboard. Small aggregate queries only: each is bounded by an index or by a tiny table.
import { database } from "~/db.server";
import { now } from "~/lib/clock.server";

export interface OperationalFigures {
  switches: { key: string; engaged: boolean }[];
  outbox: { byStatus: Record<string, number>; oldestDueAgeSeconds: number };
  jobs: { kind: string; total: number; done: number }[];
  audit: { checkpointAgeSeconds: number | null; rowsAfterCheckpoint: number };
}

const ACTIVE_OUTBOX_STATUSES = ["QUEUED", "SENDING", "UNCERTAIN", "FAILED"];

export async function readOperationalFigures(at: Date = now()): Promise<OperationalFigures> {
  const { sql } = database;
  const switches = await sql.query<{ key: string; engaged: boolean }>(
    `SELECT key, engaged FROM kill_switch ORDER BY key`,
  );
  const outbox = await sql.query<{ status: string; n: string }>(
    `SELECT status::text AS status, count(*) AS n FROM outbound_message WHERE status::text = ANY($1::text[]) GROUP BY status`,
    [ACTIVE_OUTBOX_STATUSES],
  );
  const oldest = await sql.query<{ due: Date | null }>(
    `SELECT min(next_attempt_at) AS due FROM outbound_message WHERE status = 'QUEUED' AND next_attempt_at <= $1`,
    [at],
  );
  const jobs = await sql.query<{ kind: string; total: string; done: string }>(
    `SELECT kind, sum(items_total) AS total, sum(items_succeeded + items_skipped + items_failed) AS done
       FROM bulk_job WHERE status IN ('QUEUED', 'RUNNING') GROUP BY kind ORDER BY kind`,
  );
  const audit = await sql.query<{ signed_at: Date | null; after: string }>(
    `WITH last AS (SELECT seq, signed_at FROM audit_checkpoint ORDER BY seq DESC LIMIT 1)
     SELECT (SELECT signed_at FROM last) AS signed_at,
            (SELECT count(*) FROM audit_event WHERE seq > coalesce((SELECT seq FROM last), 0)) AS after`,
  );
  const byStatus = Object.fromEntries(ACTIVE_OUTBOX_STATUSES.map((s) => [s, 0]));
  for (const row of outbox.rows) byStatus[row.status] = Number(row.n);
  const due = oldest.rows[0]?.due;
  const signedAt = audit.rows[0]?.signed_at;
  return {
    switches: switches.rows,
    outbox: {
      byStatus,
      oldestDueAgeSeconds: due ? Math.max(0, (at.getTime() - new Date(due).getTime()) / 1000) : 0,
    },
    jobs: jobs.rows.map((j) => ({ kind: j.kind, total: Number(j.total), done: Number(j.done) })),
    audit: {
      checkpointAgeSeconds: signedAt ? Math.max(0, (at.getTime() - new Date(signedAt).getTime()) / 1000) : null,
      rowsAfterCheckpoint: Number(audit.rows[0]?.after ?? 0),
    },
  };
}
