// The outbox worker: claims due messages in batches (FOR UPDATE SKIP LOCKED, so several workers never take the same
// row), hands them to a pooled SMTP transport, and records each outcome. Runs inside `npm start` (registered in
// app/jobs/workers.server.ts) or alone with `npm run worker`.
//
// At most one email per dedupe key, across crashes:
//   claim      QUEUED → SENDING with attempts+1, a claim token and a lease, committed BEFORE the SMTP transaction;
//   send       one SMTP transaction (nodemailer's pool may not requeue: maxRequeues 0);
//   record     SENDING → SENT | QUEUED (retry later) | FAILED | UNCERTAIN, only if the row still carries our token.
// A worker killed between "server accepted" and "record" leaves a SENDING row whose lease runs out; the sweep turns
// it into UNCERTAIN ("may have been delivered") and nothing resends it automatically. Only the rows in flight at the
// moment of a hard kill can end up there: at most `concurrency` of them. A graceful stop (SIGTERM) finishes and
// records what is in flight, so nothing is left in doubt, unless the server has not answered within the stop's grace
// (it took the data and went silent): those are recorded UNCERTAIN at once. See docs/decisions/008-notification-outbox.md.
import { randomUUID } from "node:crypto";
import type { Transporter } from "nodemailer";
import { database } from "~/db.server";
import { query, type SqlRunner } from "~/db/sql-runner.server";
import { env } from "~/env.server";
import { now } from "~/lib/clock.server";
import { DEDUPE_HEADER, dedupeHeaderOf } from "~/notify/dedupe";
import { createPooledTransport, resolveSmtpSettings } from "~/notify/mail-transport.server";
import { outboxWakeTarget } from "~/notify/outbox.server";
import { RateLimiter } from "~/notify/rate-limiter";
import { classifySendError, classifySentInfo, retryDelayMs, type SendOutcome } from "~/notify/smtp-outcome";
import { carriesSecret, SECRET_TEMPLATES } from "~/notify/templates";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const OUTBOX_DEFAULTS = {
  concurrency: 5,
  leaseMs: 2 * MINUTE,
  pollIntervalMs: SECOND,
  maxAttempts: 8,
  backoffBaseMs: 30 * SECOND, // 30 s, 1, 2, 4, 8, 16, 30 min: about an hour of retries before giving up
  backoffMaxMs: 30 * MINUTE,
  breakerBaseMs: SECOND,
  breakerMaxMs: MINUTE,
  // A graceful stop lets SMTP transactions in flight finish this long, then records what is still in flight as
  // UNCERTAIN itself: a server that took the data and went silent would otherwise hold the stop for the transport's
  // socket timeout (30 s), past the process's whole shutdown deadline (25 s), and leave the rows SENDING until their
  // lease ran out. Well inside that deadline, far longer than a healthy server takes to answer.
  stopGraceMs: 10 * SECOND,
  // The whole of one message's SMTP transaction, from taking a pooled connection to the server's last answer. The
  // transport's socket timeout counts only silence, so a server that trickles its answers a byte at a time would hold
  // a message (and a connection) for as long as it likes; past this the connection is closed under the message and the
  // message recorded UNCERTAIN, as any send the server may have taken without confirming it (ADR 090). Far longer
  // than a healthy server takes, and well inside the lease, so the sweep never settles a message a worker still holds.
  sendDeadlineMs: MINUTE,
  // How long a worker holding the SMTP server's answers keeps trying to write them down while the database is away.
  // Given up, the rows stay SENDING and the sweep makes them UNCERTAIN at their lease: an accepted notice then reads
  // "may have been delivered" and one the server deferred (4xx) is never sent again on its own. The outages this must
  // outlast are seconds to a minute, a frozen server's about a minute (ADR 085); a recording that lands after the
  // sweep still writes the true outcome over UNCERTAIN, as long as no reviewer has resent the row (ADR 123).
  recordPatienceMs: 5 * MINUTE,
} as const;

export interface OutboxLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface OutboxWorkerOptions {
  transport: Transporter;
  /** Raw SQL on the app's database by default; tests pass their own to simulate a worker losing it. */
  sql?: SqlRunner;
  from?: string;
  /** SMTP transactions in flight at once (and so the most messages a hard kill can leave in doubt). */
  concurrency?: number;
  /**
   * Claim loops sharing the concurrency, so one loop's database round trips overlap another's sending. Default: one
   * per two connections (batches of two: two statements per two messages, and little waiting on the slowest send).
   */
  lanes?: number;
  /** Messages per second; 0 or absent: as fast as the server takes them. */
  ratePerSecond?: number;
  leaseMs?: number;
  pollIntervalMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  breakerBaseMs?: number;
  breakerMaxMs?: number;
  sweepIntervalMs?: number;
  /** Pauses between attempts to record outcomes while the database is unavailable; the last one repeats. */
  recordRetryDelaysMs?: number[];
  /** How long the worker keeps trying to record outcomes it holds (see OUTBOX_DEFAULTS.recordPatienceMs). */
  recordPatienceMs?: number;
  random?: () => number;
  logger?: OutboxLogger;
  /** Closed by stop() (the worker built it). */
  ownsTransport?: boolean;
  /** How long stop() lets SMTP transactions in flight finish before it cuts them (see OUTBOX_DEFAULTS.stopGraceMs). */
  stopGraceMs?: number;
  /** The longest one message's SMTP transaction may take (see OUTBOX_DEFAULTS.sendDeadlineMs). */
  sendDeadlineMs?: number;
}

export interface OutboxWorkerStats {
  id: string;
  sent: number;
  retried: number;
  failed: number;
  uncertain: number;
  flaggedByLeaseExpiry: number;
  breakerOpen: boolean;
  /** When the relay became unreachable (ISO), while the breaker is open. */
  unreachableSince: string | null;
  lastProblem: string | null;
}

// The workers running in this process, for the console's status pages (on globalThis: the worker started by
// scripts/start.ts and the Remix build's routes are different copies of this module).
const registry = globalThis as unknown as { firebreakOutboxWorkers?: Map<string, OutboxWorkerStats> };
function runningWorkers(): Map<string, OutboxWorkerStats> {
  registry.firebreakOutboxWorkers ??= new Map();
  return registry.firebreakOutboxWorkers;
}

/** Health of the outbox workers in this process: empty when the worker runs elsewhere (`npm run worker`). */
export function outboxWorkerHealth(): OutboxWorkerStats[] {
  return [...runningWorkers().values()].map((s) => ({ ...s }));
}

export interface OutboxWorker {
  readonly id: string;
  readonly stats: OutboxWorkerStats;
  /** Deliver due messages now instead of at the next poll. */
  wake(): void;
  /** Graceful: stop claiming, finish and record what is in flight, then resolve. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  dedupe_key: string;
  template: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id_header: string;
  attempts: number;
}

const CLAIM_SQL = `
WITH next AS (
  SELECT id FROM outbound_message
  WHERE status = 'QUEUED' AND next_attempt_at <= $2
  ORDER BY priority DESC, next_attempt_at ASC
  LIMIT $3
  FOR UPDATE SKIP LOCKED
)
UPDATE outbound_message AS m
SET status = 'SENDING', attempts = m.attempts + 1, claim_token = $1::uuid, lease_until = $4, updated_at = $2
FROM next
WHERE m.id = next.id AND m.status = 'QUEUED'
RETURNING m.id, m.dedupe_key, m.template, m.recipient, m.subject, m.text_body, m.html_body, m.message_id_header,
          m.attempts`;

// One statement records a whole batch. Only rows that still carry our claim token are touched: a row a reviewer
// requeued meanwhile is not overwritten. UNCERTAIN is accepted too: a slow worker's lease may have run out.
const RECORD_SQL = `
UPDATE outbound_message AS m
SET status = r.status::"OutboundMessageStatus",
    last_error = r.last_error,
    failure = r.failure::"OutboundFailure",
    smtp_message_id = COALESCE(r.smtp_message_id, m.smtp_message_id),
    smtp_response = COALESCE(r.smtp_response, m.smtp_response),
    sent_at = COALESCE(r.sent_at, m.sent_at),
    next_attempt_at = COALESCE(r.next_attempt_at, m.next_attempt_at),
    text_body = CASE WHEN r.redact THEN NULL ELSE m.text_body END,
    html_body = CASE WHEN r.redact THEN NULL ELSE m.html_body END,
    redacted_at = CASE WHEN r.redact THEN $2 ELSE m.redacted_at END,
    lease_until = NULL,
    claim_token = NULL,
    updated_at = $2
FROM jsonb_to_recordset($1::text::jsonb) AS r(
  id uuid, token uuid, status text, last_error text, failure text, smtp_message_id text, smtp_response text,
  sent_at timestamptz, next_attempt_at timestamptz, redact boolean)
WHERE m.id = r.id AND m.claim_token = r.token AND m.status IN ('SENDING', 'UNCERTAIN')
RETURNING m.id`;

const STOPPED_REASON =
  "the worker stopped while the SMTP server had not answered: the message may have been delivered; " +
  "check the mail server's log for its Message-ID before resending";

function pastDeadlineReason(deadlineMs: number): string {
  return (
    `the SMTP server had not finished answering within the send deadline (${deadlineMs} ms): the connection was ` +
    "closed and the message may have been delivered; check the mail server's log for its Message-ID before resending"
  );
}

const UNCERTAIN_REASON =
  "the worker stopped (crash or lost lease) during the SMTP transaction: the message may have been delivered; " +
  "check the mail server's log for its Message-ID before resending";

// A secret's body is blanked here too: the worker that held the row already has the message in memory, and nobody
// resends a secret in doubt (a new link or code is issued instead), so the stored copy has no reader left.
const SWEEP_SQL = `
UPDATE outbound_message
SET status = 'UNCERTAIN', last_error = $2, lease_until = NULL, updated_at = $1,
    text_body = CASE WHEN template = ANY($3::text[]) THEN NULL ELSE text_body END,
    html_body = CASE WHEN template = ANY($3::text[]) THEN NULL ELSE html_body END,
    redacted_at = CASE WHEN template = ANY($3::text[]) THEN $1 ELSE redacted_at END
WHERE status = 'SENDING' AND lease_until < $1
RETURNING id`;

interface RecordRow {
  id: string;
  token: string;
  status: "SENT" | "QUEUED" | "FAILED" | "UNCERTAIN";
  last_error: string | null;
  failure: "REJECTED" | "RETRIES_EXHAUSTED" | "NOT_SENDABLE" | null;
  smtp_message_id: string | null;
  smtp_response: string | null;
  sent_at: string | null;
  next_attempt_at: string | null;
  redact: boolean;
}

const consoleLogger: OutboxLogger = {
  info: (message) => console.info(`[outbox] ${message}`),
  warn: (message) => console.warn(`[outbox] ${message}`),
};

function sleep(ms: number, signal: AbortSignal, wake?: EventTarget): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      wake?.removeEventListener("wake", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    wake?.addEventListener("wake", done, { once: true });
  });
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const id = `outbox-${randomUUID().slice(0, 8)}`;
  const sql = options.sql ?? database.sql;
  const from = options.from ?? env().MAIL_FROM;
  const concurrency = Math.max(1, options.concurrency ?? OUTBOX_DEFAULTS.concurrency);
  const lanes = Math.max(1, Math.min(concurrency, options.lanes ?? Math.ceil(concurrency / 2)));
  const batchSize = Math.max(1, Math.floor(concurrency / lanes));
  const leaseMs = options.leaseMs ?? OUTBOX_DEFAULTS.leaseMs;
  const pollIntervalMs = options.pollIntervalMs ?? OUTBOX_DEFAULTS.pollIntervalMs;
  const maxAttempts = options.maxAttempts ?? OUTBOX_DEFAULTS.maxAttempts;
  const backoffBaseMs = options.backoffBaseMs ?? OUTBOX_DEFAULTS.backoffBaseMs;
  const backoffMaxMs = options.backoffMaxMs ?? OUTBOX_DEFAULTS.backoffMaxMs;
  const breakerBaseMs = options.breakerBaseMs ?? OUTBOX_DEFAULTS.breakerBaseMs;
  const breakerMaxMs = options.breakerMaxMs ?? OUTBOX_DEFAULTS.breakerMaxMs;
  const sweepIntervalMs = options.sweepIntervalMs ?? Math.min(leaseMs / 2, 30 * SECOND);
  const stopGraceMs = options.stopGraceMs ?? OUTBOX_DEFAULTS.stopGraceMs;
  // Never past the lease: a message must be settled by the worker holding it (ADR 090).
  const sendDeadlineMs = Math.min(options.sendDeadlineMs ?? OUTBOX_DEFAULTS.sendDeadlineMs, leaseMs - SECOND);
  const random = options.random ?? Math.random;
  const log = options.logger ?? consoleLogger;
  const limiter = new RateLimiter(options.ratePerSecond ?? 0);
  const stopping = new AbortController();
  /** Claimed rows whose outcome is not recorded yet, with their claim token: what a stop past its grace records. */
  const inFlight = new Map<string, { token: string; row: ClaimedRow }>();
  const wakeTarget = new EventTarget();
  const globalWake = outboxWakeTarget();
  const onGlobalWake = () => wakeTarget.dispatchEvent(new Event("wake"));
  globalWake.addEventListener("wake", onGlobalWake);

  const stats: OutboxWorkerStats = {
    id,
    sent: 0,
    retried: 0,
    failed: 0,
    uncertain: 0,
    flaggedByLeaseExpiry: 0,
    breakerOpen: false,
    unreachableSince: null,
    lastProblem: null,
  };
  runningWorkers().set(id, stats);

  // Circuit breaker: when the relay itself is unreachable, stop claiming (so an outage does not burn every message's
  // attempts) and probe the connection with exponential backoff until it answers.
  const breaker = { openUntil: 0, delayMs: breakerBaseMs, probing: false };
  function tripBreaker(reason: string) {
    breaker.delayMs = stats.breakerOpen ? Math.min(breakerMaxMs, breaker.delayMs * 2) : breakerBaseMs;
    breaker.openUntil = Date.now() + breaker.delayMs;
    if (!stats.breakerOpen) {
      log.warn(`SMTP unreachable, pausing deliveries: ${reason}`);
      stats.unreachableSince = new Date().toISOString();
    }
    stats.breakerOpen = true;
    stats.lastProblem = reason;
  }
  async function waitForBreaker(): Promise<void> {
    const wait = breaker.openUntil - Date.now();
    if (wait > 0 || breaker.probing) {
      await sleep(Math.max(wait, 50), stopping.signal);
      return;
    }
    breaker.probing = true;
    try {
      await options.transport.verify();
      stats.breakerOpen = false;
      stats.unreachableSince = null;
      breaker.delayMs = breakerBaseMs;
      log.info("SMTP reachable again, resuming deliveries");
    } catch (error) {
      tripBreaker(classifySendError(error).kind === "retry" ? String((error as Error).message) : "probe failed");
    } finally {
      breaker.probing = false;
    }
  }

  async function claim(limit: number): Promise<{ token: string; rows: ClaimedRow[] }> {
    const token = randomUUID();
    const at = now();
    const rows = await query<ClaimedRow>(sql, CLAIM_SQL, [token, at, limit, new Date(at.getTime() + leaseMs)]);
    return { token, rows };
  }

  async function deliver(row: ClaimedRow): Promise<SendOutcome> {
    // Aborting the send closes the pooled connection that carries it (nodemailer ends the socket, and destroys it if
    // the server does not close its side), so the trickle stops and the connection is not handed another message.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error("send deadline")), sendDeadlineMs);
    // The send's own socket keeps the process alive while it matters; a stopped worker's process need not wait for this.
    timer.unref();
    try {
      const info = await options.transport.sendMail({
        signal: deadline.signal,
        from,
        to: row.recipient,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: row.message_id_header,
        headers: {
          [DEDUPE_HEADER]: dedupeHeaderOf(row.dedupe_key),
          // RFC 3834: no vacation auto-replies to an automated security notice.
          "Auto-Submitted": "auto-generated",
          "X-Auto-Response-Suppress": "All",
        },
      });
      return classifySentInfo(info, row.recipient);
    } catch (error) {
      if (deadline.signal.aborted) return { kind: "uncertain", reason: pastDeadlineReason(sendDeadlineMs) };
      return classifySendError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  function toRecord(token: string, row: ClaimedRow, outcome: SendOutcome): RecordRow {
    const at = now();
    const secret = carriesSecret(row.template);
    const base = {
      id: row.id,
      token,
      failure: null,
      smtp_message_id: null,
      smtp_response: null,
      sent_at: null,
      next_attempt_at: null,
    };
    switch (outcome.kind) {
      case "sent":
        return {
          ...base,
          status: "SENT",
          last_error: null,
          smtp_message_id: outcome.messageId ?? row.message_id_header,
          smtp_response: outcome.response,
          sent_at: at.toISOString(),
          redact: secret,
        };
      case "retry":
        if (row.attempts >= maxAttempts) {
          return {
            ...base,
            status: "FAILED",
            failure: "RETRIES_EXHAUSTED",
            last_error: `gave up after ${row.attempts} attempts: ${outcome.reason}`,
            redact: secret,
          };
        }
        return {
          ...base,
          status: "QUEUED",
          last_error: outcome.reason,
          next_attempt_at: new Date(
            at.getTime() + retryDelayMs(row.attempts, backoffBaseMs, backoffMaxMs, random),
          ).toISOString(),
          redact: false,
        };
      case "fail":
        return { ...base, status: "FAILED", failure: outcome.failure, last_error: outcome.reason, redact: secret };
      case "uncertain":
        // Maybe delivered, maybe not: either way a secret is never sent again (a new link or code replaces it), so
        // its body goes now rather than staying readable until someone reviews the row.
        return { ...base, status: "UNCERTAIN", last_error: outcome.reason, redact: secret };
    }
  }

  const recordRetryDelays = options.recordRetryDelaysMs ?? [200, SECOND, 2 * SECOND, 5 * SECOND];
  const recordPatienceMs = options.recordPatienceMs ?? OUTBOX_DEFAULTS.recordPatienceMs;
  // The answers are only in this worker's memory until they are written: through an outage it keeps trying (the lane
  // claims nothing meanwhile, and there would be nothing to claim from) until the database is back, its patience runs
  // out, or the worker is stopped, whose grace then settles what is still in flight.
  async function record(records: RecordRow[]): Promise<void> {
    const giveUpAt = Date.now() + recordPatienceMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.query(RECORD_SQL, [JSON.stringify(records), now()]);
        if (attempt > 0) log.info(`recorded ${records.length} outcomes after ${attempt} failed attempts`);
        return;
      } catch (error) {
        const delay = recordRetryDelays[Math.min(attempt, recordRetryDelays.length - 1)] ?? SECOND;
        if (attempt === 0) log.warn(`could not record ${records.length} outcomes yet (${(error as Error).message})`);
        stats.lastProblem = "could not record outcomes";
        if (Date.now() + delay > giveUpAt || stopping.signal.aborted) {
          // The rows stay SENDING; once their lease runs out they become UNCERTAIN, never resent on their own.
          log.warn(`could not record ${records.length} outcomes (${(error as Error).message}); they will need review`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  function count(records: RecordRow[], claimed: ClaimedRow[], outcomes: SendOutcome[]) {
    records.forEach((r, i) => {
      if (r.status === "SENT") stats.sent++;
      else if (r.status === "QUEUED") stats.retried++;
      else if (r.status === "FAILED") stats.failed++;
      else stats.uncertain++;
      if (r.status !== "SENT") {
        const outcome = outcomes[i]!;
        const reason = "reason" in outcome ? outcome.reason : "";
        log.warn(`message ${claimed[i]!.id} attempt ${claimed[i]!.attempts}: ${r.status} (${reason})`);
      }
    });
  }

  async function runLane(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        if (stats.breakerOpen) {
          await waitForBreaker();
          continue;
        }
        const tokens = await limiter.take(batchSize, stopping.signal);
        if (stopping.signal.aborted || tokens === 0) break;
        const { token, rows } = await claim(tokens);
        limiter.refund(tokens - rows.length);
        if (rows.length === 0) {
          await sleep(pollIntervalMs, stopping.signal, wakeTarget);
          continue;
        }
        for (const row of rows) inFlight.set(row.id, { token, row });
        const outcomes = await Promise.all(rows.map(deliver));
        const records = rows.map((row, i) => toRecord(token, row, outcomes[i]!));
        await record(records);
        for (const row of rows) inFlight.delete(row.id);
        count(records, rows, outcomes);
        // A connection lost without a reply leaves its message in doubt, and may be the relay dropping every session
        // (at its hello, before anything is handed over): pause and probe as for a refused connection, so the doubt
        // stays with the batch in flight instead of spreading to every message claimed after it (ADR 123).
        const unreachable = outcomes.find(
          (o) => (o.kind === "retry" && o.connectionLevel) || (o.kind === "uncertain" && o.connectionLost),
        );
        if (unreachable && "reason" in unreachable) tripBreaker(unreachable.reason);
      } catch (error) {
        // Database trouble while claiming: nothing was sent; try again after a pause.
        stats.lastProblem = (error as Error).message;
        log.warn(`claim failed: ${(error as Error).message}`);
        await sleep(pollIntervalMs, stopping.signal);
      }
    }
  }

  async function sweep(): Promise<void> {
    try {
      const rows = await query<{ id: string }>(sql, SWEEP_SQL, [now(), UNCERTAIN_REASON, SECRET_TEMPLATES]);
      if (rows.length > 0) {
        stats.flaggedByLeaseExpiry += rows.length;
        log.warn(
          `${rows.length} message(s) were mid-transaction when a worker stopped: flagged for review (UNCERTAIN)`,
        );
      }
    } catch (error) {
      log.warn(`lease sweep failed: ${(error as Error).message}`);
    }
  }

  const sweepLoop = (async () => {
    while (!stopping.signal.aborted) {
      await sweep();
      await sleep(sweepIntervalMs, stopping.signal);
    }
  })();
  const laneLoops = Array.from({ length: lanes }, () => runLane());

  return {
    id,
    stats,
    wake: () => wakeTarget.dispatchEvent(new Event("wake")),
    stop: async () => {
      stopping.abort();
      globalWake.removeEventListener("wake", onGlobalWake);
      const loops = Promise.all([...laneLoops, sweepLoop]);
      let grace: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([
        loops.then(() => true),
        new Promise<false>((resolve) => (grace = setTimeout(() => resolve(false), stopGraceMs))),
      ]);
      clearTimeout(grace);
      if (!finished) {
        // Only rows still carrying our claim token are written, so an outcome a lane records meanwhile stands, and a
        // lane that records after us changes nothing.
        const stuck = [...inFlight.values()];
        log.warn(`stopping with ${stuck.length} SMTP transaction(s) unanswered after ${stopGraceMs} ms: UNCERTAIN`);
        await record(
          stuck.map(({ token, row }) => toRecord(token, row, { kind: "uncertain", reason: STOPPED_REASON })),
        );
        stats.uncertain += stuck.length;
      }
      runningWorkers().delete(id);
      if (options.ownsTransport) options.transport.close();
    },
  };
}

/**
 * The worker as `npm start` and `npm run worker` run it: SMTP settings, send rate and pool size from the environment,
 * or the development sink when no SMTP server is configured (refused in production).
 */
export async function startOutboxWorkerFromEnv(): Promise<() => Promise<void>> {
  const e = env();
  const { settings, devSink } = await resolveSmtpSettings();
  const concurrency = e.NOTIFY_SMTP_CONNECTIONS;
  const transport = createPooledTransport(settings, { maxConnections: concurrency });
  const worker = startOutboxWorker({
    transport,
    ownsTransport: true,
    concurrency,
    ratePerSecond: e.NOTIFY_SEND_RATE,
    sendDeadlineMs: e.NOTIFY_SEND_DEADLINE_MS,
  });
  consoleLogger.info(
    `${worker.id} delivering to ${devSink ? `the development sink on port ${settings.port}` : `${settings.host}:${settings.port}`}` +
      ` (${concurrency} connections, ${e.NOTIFY_SEND_RATE > 0 ? `${e.NOTIFY_SEND_RATE} msg/s` : "no rate limit"})`,
  );
  return async () => {
    await worker.stop();
    await devSink?.close();
  };
}
