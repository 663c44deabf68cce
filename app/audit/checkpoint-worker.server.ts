// Signs the audit chain head every few seconds (FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS, default 5 s) wherever the
// background workers run (registered in app/jobs/workers.server.ts). One signature covers every row written since the
// previous checkpoint (a batch), and only those rows are re-verified, so the cost does not grow with the interval's
// rows; an unchanged head is not signed again (docs/decisions/029-checkpoint-cadence.md).
// Several app processes may run it: createAuditCheckpoint serialises on an advisory lock and skips an unchanged head.
// A chain that stops verifying is reported on every run (log) and recorded once per distinct problem (audit row), and
// nothing is signed until someone has looked.
import { backoffMs, isConnectionLoss, isTransientDbError } from "~/db/transient-errors";
import { database } from "~/db.server";
import { checkpointLogPath } from "~/audit/checkpoint-log.server";
import { noteChainHead, signCheckpoint } from "~/audit/checkpoint-service.server";
import { AuditIntegrityError } from "~/audit/checkpoint.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { NO_ORIGIN } from "~/audit/actor";
import { env } from "~/env.server";
import { DomainError } from "~/lib/domain-error";

export const TEN_MINUTES = 10 * 60 * 1000;
export const THIRTY_SECONDS = 30 * 1000;
export const ONE_SECOND = 1000;
export const CHECKPOINT_ACTOR = { kind: "system" as const, id: "system:audit-checkpoint" };

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * ONE_SECOND;
// Between checkpoints the sealed head goes to the outside copy as a signed note (no database row): this, not the
// checkpoint interval, bounds how many committed rows could be cut from the tail unnoticed (ADR 040).
export const DEFAULT_HEAD_NOTE_INTERVAL_MS = ONE_SECOND;

export interface CheckpointWorkerOptions {
  intervalMs?: number;
  /** The first run, shortly after start-up, so a fresh deployment does not wait a whole interval. */
  initialDelayMs?: number;
  log?: Pick<Console, "info" | "error">;
  /** Whether the outside copy is mandatory; production by default. */
  requireOutsideCopy?: boolean;
  /** How often the sealed head is noted in the outside copy between checkpoints. */
  headNoteIntervalMs?: number;
}

/** Thrown at start-up: in production a checkpoint without its outside copy proves nothing against truncation. */
export class CheckpointLogRequiredError extends Error {}

export function startAuditCheckpointWorker(options: CheckpointWorkerOptions = {}): () => Promise<void> {
  if ((options.requireOutsideCopy ?? env().NODE_ENV === "production") && !checkpointLogPath()) {
    throw new CheckpointLogRequiredError(
      "FIREBREAK_AUDIT_CHECKPOINT_LOG is required in production where the workers run: the copy of the audit " +
        "checkpoints outside the database (another volume, write-once storage) is what shows a shortened audit trail",
    );
  }
  const intervalMs = options.intervalMs ?? env().FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS;
  const log = options.log ?? console;
  let running: Promise<void> | null = null;
  let lastReportedProblem: string | null = null;
  let stopped = false;
  let connectionRetries = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const runOnce = async () => {
    try {
      const outcome = await signCheckpoint(database, "schedule");
      lastReportedProblem = null;
      connectionRetries = 0;
      if (outcome.status === "created") {
        log.info(`audit checkpoint #${outcome.checkpoint.id} signed at seq ${outcome.checkpoint.seq}`);
      }
    } catch (error) {
      if (isTransientDbError(error)) {
        // The database is away, busy, or its checkpoint lock is held past the lock timeout (by a session another
        // process gave up on, until the server ends it: ADR 085): nothing was signed, nothing is wrong with the trail.
        // Try again with backoff.
        connectionRetries += 1;
        const why = isConnectionLoss(error) ? "database unreachable" : "database busy";
        log.info(`audit checkpoint postponed: ${why} (attempt ${connectionRetries})`);
        retry = setTimeout(tick, backoffMs(connectionRetries, ONE_SECOND, THIRTY_SECONDS) + ONE_SECOND);
        retry.unref();
        return;
      }
      const message = error instanceof DomainError ? error.message : "unexpected error (see the log above)";
      log.error(`audit checkpoint not signed: ${message}`);
      if (!(error instanceof DomainError)) log.error(error);
      if (error instanceof AuditIntegrityError && message !== lastReportedProblem) {
        lastReportedProblem = message;
        await recordAuditEvent({
          actor: CHECKPOINT_ACTOR,
          origin: NO_ORIGIN,
          action: "audit.checkpoint",
          outcome: "FAILED",
          targetType: "audit_checkpoint",
          after: { error: `${error.code}: ${message}` },
        }).catch((recordError: unknown) => log.error(recordError));
      }
    }
  };
  const tick = () => {
    if (stopped || running) return;
    running = runOnce().finally(() => {
      running = null;
    });
  };

  let noting: Promise<void> | null = null;
  const noteHead = () => {
    if (stopped || running || noting) return;
    noting = noteChainHead(database)
      .then(() => undefined)
      .catch((error: unknown) => {
        // A lost connection, a missing key or a broken chain is what the checkpoint run reports (with backoff and
        // once per problem); anything else is worth a line.
        if (!isConnectionLoss(error) && !(error instanceof DomainError))
          log.error(`audit head note not written: ${(error as Error).message}`);
      })
      .finally(() => {
        noting = null;
      });
  };

  const first = setTimeout(tick, options.initialDelayMs ?? Math.min(intervalMs, THIRTY_SECONDS));
  const timer = setInterval(tick, intervalMs);
  const notes = setInterval(noteHead, options.headNoteIntervalMs ?? DEFAULT_HEAD_NOTE_INTERVAL_MS);
  first.unref();
  timer.unref();
  notes.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearTimeout(retry);
    clearInterval(timer);
    clearInterval(notes);
    await running;
    await noting;
  };
}
