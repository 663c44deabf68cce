// Appending to the hash-chained audit log, three ways (docs/decisions/040-audit-chain-without-a-global-lock.md, 049):
//   - through the intake (the spine): the row is committed to audit_intake with the change, under no lock, numbered by
//     its writer slot, and sealed into the chain (seq, prev_hash, hash assigned in the database) in batches right after
//     the commit. Writers no longer queue behind each other's commits.
//   - appended as a batch (audited reads, denials, failures: rows with no change to commit with): hashed and inserted
//     in the database under the chain lock, released before the flush, and flushed before the call returns.
//   - directly, in the caller's transaction (writers with no point after their commit to seal from): seq and hash are
//     assigned under the chain lock, held to that transaction's commit, as before.
// Either way an audit row exists if and only if the change it describes was committed.
import type { DbTx } from "~/db.server";
import type { SqlRunner } from "~/db/migrations.server";
import { prepared } from "~/db/sql-runner.server";
import type { AuditOutcome } from "~/generated/prisma/enums";
import { actorId, actorRole, type Actor, type Origin } from "~/audit/actor";
import {
  canonicalJson,
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

// One advisory lock serialises appends to audit_event (direct writers and the sealer, which takes the same key in
// SQL): taken at the very end of a transaction (after the change) and released at commit. Under READ COMMITTED the
// SELECT that follows the lock sees the head committed by the previous holder.
const AUDIT_CHAIN_LOCK_KEY = 72_917_002;

/** Appends straight to the chain in the caller's Prisma transaction, holding the chain lock until it commits. */
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

/** Appends straight to the chain in a transaction opened on the driver (`database.sqlTransaction`). */
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

/**
 * A before/after value as the canonical text its hash covers, NULL for no value: what hashedJsonText(toAuditJson(v))
 * gives, with one serialisation instead of two and a JSON.parse (kept for the rare value holding a U+0000).
 */
function canonicalText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = canonicalJson(value);
  if (text === "null") return null;
  return text.includes("\\u0000") ? hashedJsonText(toAuditJson(value)) : text;
}

/**
 * A row as it travels to the database, to the intake or appended as a batch: before/after travel once, as their
 * canonical text, and the database parses the jsonb column from it (ADR 065).
 */
function outgoingRow(event: AuditEventInput) {
  return {
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    actorId: storableText(actorId(event.actor)),
    actorRole: actorRole(event.actor),
    action: storableText(event.action),
    targetType: storableText(event.targetType ?? null),
    targetId: storableText(event.targetId ?? null),
    incidentId: storableText(event.incidentId ?? null),
    outcome: event.outcome,
    reason: storableText(event.reason ?? null),
    ip: storableText(event.origin.ip),
    userAgent: storableText(event.origin.userAgent),
    requestId: storableText(event.origin.requestId),
    beforeText: canonicalText(event.before),
    afterText: canonicalText(event.after),
  };
}

// Each row takes the next number of this backend's writer slot in the same statement (ADR 049): if the statement or
// its transaction fails, the numbers are given back with it, so a committed row that later vanishes leaves a gap.
// The jsonb columns are parsed from the canonical text, as in firebreak_append_audit_rows_unflushed: the same value.
const INTAKE_INSERT = `WITH batch AS (SELECT r, n FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)),
          numbers AS (SELECT slot, last FROM firebreak_take_intake_numbers((SELECT count(*)::int FROM batch)))
     INSERT INTO audit_intake (occurred_at, actor_id, actor_role, action, target_type, target_id, incident_id, outcome,
                               reason, before, after, ip, user_agent, request_id, before_text, after_text, slot, slot_no)
     SELECT (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole', r->>'action', r->>'targetType',
            r->>'targetId', r->>'incidentId', (r->>'outcome')::"AuditOutcome", r->>'reason',
            (r->>'beforeText')::jsonb, (r->>'afterText')::jsonb, r->>'ip', r->>'userAgent', r->>'requestId',
            r->>'beforeText', r->>'afterText', numbers.slot,
            numbers.last - (SELECT count(*) FROM batch) + batch.n
       FROM batch, numbers ORDER BY batch.n`;

/**
 * Commits audit rows to the intake: one statement, no lock. Given the driver's pool (not a transaction) the statement
 * commits on its own; given a transaction, the rows commit with it. Call sealAuditIntake after the commit.
 */
export async function intakeAuditEvents(sql: Pick<SqlRunner, "query">, events: AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await sql.query(INTAKE_INSERT, [JSON.stringify(events.map(outgoingRow))]);
}

// The same insert that also records the action's id in committed_action, in the same round trip (ADR 090).
const INTAKE_INSERT_WITH_COMMIT_MARK = INTAKE_INSERT.replace(
  "WITH ",
  "WITH mark AS (INSERT INTO committed_action (id) VALUES ($2::uuid)),\n          ",
);

/**
 * In the caller's Prisma transaction: the rows become visible (and sealable) when it commits. With `actionId`, that id
 * commits with them in committed_action, so a COMMIT whose answer was lost can be settled (settleCommitInDoubt).
 */
export async function intakeAuditEventsInTx(
  tx: DbTx,
  events: AuditEventInput[],
  options: { actionId?: string } = {},
): Promise<void> {
  if (events.length === 0) return;
  const rows = JSON.stringify(events.map(outgoingRow));
  if (options.actionId === undefined) await tx.$executeRawUnsafe(INTAKE_INSERT, rows);
  else await tx.$executeRawUnsafe(INTAKE_INSERT_WITH_COMMIT_MARK, rows, options.actionId);
}

export type CommitOutcome = { outcome: "committed" | "not-committed" } | { outcome: "unknown"; cause: string };

/**
 * Whether the transaction that wrote `actionId` (intakeAuditEventsInTx) committed, asked on another connection after
 * its COMMIT failed or went unanswered. Inserting the same id waits for that transaction if it is still open, then
 * conflicts with its row if it committed; if it did not, the insert takes the id, so it can never commit afterwards.
 * "unknown" when the question cannot be answered now: the database still away, or the transaction still holding the
 * id past the lock timeout (a partition: the server has not yet ended the session that never sent its COMMIT).
 */
export async function settleCommitInDoubt(sql: Pick<SqlRunner, "query">, actionId: string): Promise<CommitOutcome> {
  try {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO committed_action (id) VALUES ($1::uuid) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [actionId],
    );
    return { outcome: rows.length === 0 ? "committed" : "not-committed" };
  } catch (error) {
    // Why the question could not be asked goes to the caller, which says so in its warning.
    return { outcome: "unknown", cause: error instanceof Error ? error.message : String(error) };
  }
}

/** Seals every committed intake row into the chain now (one batch per call of the database function). */
export async function sealAuditIntakeNow(sql: Pick<SqlRunner, "query">): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql.query<{ sealed: number }>(`SELECT firebreak_seal_audit_intake() AS sealed`);
    const sealed = Number(rows[0]?.sealed ?? 0);
    total += sealed;
    if (sealed < SEAL_BATCH_LIMIT) return total;
  }
}

// The database function's default batch: a larger backlog (after an outage of the sealer) is sealed in several calls.
const SEAL_BATCH_LIMIT = 10_000;

// One seal at a time per process and pool, and every caller waits for a seal that started after its own commit: callers
// arriving while a seal runs share the next one. So a burst of N audited requests costs about two seals, not N, and
// they do not queue on the chain lock one by one. Each pool keeps its own turn: a customer's seal on the customers'
// pool never waits behind a console seal still waiting for a console connection (ADR 109).
interface SealTurn {
  running: Promise<unknown> | null;
  next: Promise<void> | null;
}
const sealTurns = new WeakMap<object, SealTurn>();

/**
 * Resolves once a seal that began after this call has finished: every row the caller committed to the intake before
 * calling is then in audit_event. Rejects if that seal failed (the rows stay committed in the intake for the next one).
 */
export function sealAuditIntake(sql: Pick<SqlRunner, "query">): Promise<void> {
  let turn = sealTurns.get(sql);
  if (!turn) {
    turn = { running: null, next: null };
    sealTurns.set(sql, turn);
  }
  const own = turn;
  if (own.running === null) {
    const run = sealAuditIntakeNow(sql).finally(() => {
      own.running = null;
    });
    own.running = run;
    return run.then(() => undefined);
  }
  own.next ??= own.running
    .catch(() => undefined)
    .then(() => {
      own.next = null;
      return sealAuditIntake(sql);
    });
  return own.next;
}

// Rows that stand alone (audited reads, denials, failures) do not go through the intake (ADR 049): the rows of concurrent
// callers in a process are batched into one call of firebreak_append_audit_rows, which appends them to the chain under
// the chain lock, commits without waiting for the flush (so the lock is never held across one), then commits a second,
// WAL-writing transaction that waits for the flush, which covers the first. One round trip; each caller returns only
// after its row is chained and durable, and a call that fails fails every caller in its batch.
//
// One call in flight per process (ADR 065): a row that arrives while the appender is idle goes at once, alone; rows that
// arrive while a call runs go together in the next call, started the moment that one returns. No timer: an idle
// console pays no wait, a busy one pays one call's fixed cost (procedure, lock, two commits, a flush) per batch rather
// than per row. With two calls in flight (ADR 049) eight concurrent searches made batches of 1.6 rows on average.
const APPEND_ROWS = `CALL firebreak_append_audit_rows($1::jsonb)`;

interface WaitingRows {
  rows: ReturnType<typeof outgoingRow>[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface AuditAppender {
  /** Appends the rows to the chain durably; resolves after the call that carried them has returned. */
  append(events: AuditEventInput[]): Promise<void>;
}

/**
 * A batcher of stand-alone audit rows on `sql` with at most `callsInFlight` calls running at once. The console uses one
 * per process (recordAuditEventsShared); the audited-search benchmark builds others to compare settings.
 */
export function createAuditAppender(sql: Pick<SqlRunner, "query">, { callsInFlight = 1 } = {}): AuditAppender {
  let waiting: WaitingRows[] = [];
  let running = 0;
  const start = (): void => {
    if (running >= callsInFlight || waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    running += 1;
    sql
      .query(APPEND_ROWS, [JSON.stringify(batch.flatMap((w) => w.rows))], prepared(APPEND_ROWS))
      .then(
        () => batch.forEach((w) => w.resolve()),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        running -= 1;
        start();
      });
  };
  return {
    append(events) {
      if (events.length === 0) return Promise.resolve();
      // Made JSON-safe here, in the caller's turn: a value that cannot be (a cycle) fails its own caller, not a batch.
      let rows: WaitingRows["rows"];
      try {
        rows = events.map(outgoingRow);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        waiting.push({ rows, resolve, reject });
        start();
      });
    },
  };
}

const appenders = new WeakMap<object, AuditAppender>();

/** Appends audit rows that stand alone (reads, denials, failures) to the chain durably, sharing calls with others. */
export function recordAuditEventsShared(sql: Pick<SqlRunner, "query">, events: AuditEventInput[]): Promise<void> {
  let appender = appenders.get(sql);
  if (!appender) {
    appender = createAuditAppender(sql);
    appenders.set(sql, appender);
  }
  return appender.append(events);
}
