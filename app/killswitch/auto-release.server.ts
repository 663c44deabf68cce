// Automatic release at the time the engaging lead chose. This is the one release without a second lead, and it is
// safe because it is not a new decision: the release time was fixed in the same audited act that engaged the switch,
// it can only be cancelled afterwards (never added or moved earlier), and the system actor executes exactly that
// decision, conditioned on the switch still being at the version the engagement created
// (docs/decisions/007-kill-switch-propagation.md).
import { isConnectionLoss, isTransientDbError } from "~/db/transient-errors";
import { performAction } from "~/audit/perform-action.server";
import type { Actor } from "~/audit/actor";
import { NO_ORIGIN } from "~/audit/actor";
import { prisma } from "~/db.server";
import { KillSwitchRefusal } from "~/killswitch/errors";
import {
  lockSwitch,
  markPendingRequestsStale,
  staleAuditEvents,
  switchSnapshot,
} from "~/killswitch/switch-rows.server";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";

export const AUTO_RELEASE_ACTOR: Extract<Actor, { kind: "system" }> = { kind: "system", id: "system:auto-release" };
export const FIVE_SECONDS = 5 * 1000;
/** How often the worker looks for due switches: a release happens at most this long after its time. */
export const AUTO_RELEASE_POLL_MS = FIVE_SECONDS;

export interface AutoReleaseOutcome {
  released: string[];
  /** Changed by someone else between the look-up and the lock (another worker, a cancellation): nothing to do. */
  skipped: string[];
  /** `transient`: the database was away, busy or not answering (classified here, where the error's code is known). */
  failed: { key: string; error: string; transient: boolean }[];
}

/** Releases every switch whose automatic release time has come. Safe to run in several processes at once. */
export async function releaseDueSwitches(at: Date = now()): Promise<AutoReleaseOutcome> {
  const due = await prisma.killSwitch.findMany({
    where: { engaged: true, releaseAt: { lte: at } },
    select: { key: true, version: true, releaseAt: true },
    orderBy: { key: "asc" },
  });
  const outcome: AutoReleaseOutcome = { released: [], skipped: [], failed: [] };
  for (const candidate of due) {
    try {
      await performAction(
        { actor: AUTO_RELEASE_ACTOR, origin: NO_ORIGIN },
        {
          action: "killswitch.auto-release",
          permission: "killswitch:change",
          targetType: "kill_switch",
          targetId: candidate.key,
          reason: `Automatic release at ${formatJst(candidate.releaseAt)}, set when the switch was engaged.`,
        },
        async (tx) => {
          const current = await lockSwitch(tx, candidate.key, "change");
          // Another worker released it, or a lead cancelled the automatic release, since we looked.
          if (
            !current.engaged ||
            current.version !== candidate.version ||
            !current.releaseAt ||
            current.releaseAt.getTime() > at.getTime()
          ) {
            throw new KillSwitchRefusal(
              "AUTO_RELEASE_NOT_DUE",
              `${candidate.key} is no longer due for automatic release (it changed since it was found).`,
              409,
            );
          }
          const version = current.version + 1;
          const reason = `Automatic release at ${formatJst(current.releaseAt)}, set when the switch was engaged (version ${current.version}).`;
          const updated = await tx.killSwitch.update({
            where: { key: current.key },
            data: { engaged: false, version, changedById: null, changedAt: at, reason, releaseAt: null },
          });
          await tx.killSwitchChange.create({
            data: {
              switchKey: current.key,
              kind: "AUTO_RELEASE",
              engaged: false,
              version,
              actorId: AUTO_RELEASE_ACTOR.id,
              actorKind: "SYSTEM",
              reason,
              releaseAt: current.releaseAt,
              occurredAt: at,
            },
          });
          const stale = await markPendingRequestsStale(tx, current.key, version, at);
          return {
            result: undefined,
            before: switchSnapshot(current),
            after: switchSnapshot(updated),
            extraEvents: staleAuditEvents(current.key, stale, version),
          };
        },
      );
      outcome.released.push(candidate.key);
    } catch (error) {
      if (error instanceof KillSwitchRefusal && error.code === "AUTO_RELEASE_NOT_DUE") {
        outcome.skipped.push(candidate.key);
        continue;
      }
      outcome.failed.push({
        key: candidate.key,
        error: error instanceof Error ? error.message : String(error),
        transient: isTransientDbError(error),
      });
    }
  }
  return outcome;
}

/** The background worker (registered in app/jobs/workers.server.ts). Returns its stop function. */
export function startAutoReleaseWorker(options: { intervalMs?: number } = {}): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return; // a slow database must not pile up overlapping runs
    running = releaseDueSwitches()
      .then((outcome) => {
        for (const key of outcome.released) console.log(`kill switch ${key} released automatically`);
        for (const failure of outcome.failed) {
          // A lost or unanswering connection is retried by the next tick (the switch stays engaged: fail closed); anything
          // else is a defect. Classified from the error itself: its message alone does not carry every code.
          const report = failure.transient ? console.warn : console.error;
          report(`kill switch ${failure.key}: automatic release failed: ${failure.error}`);
        }
      })
      .catch((error: unknown) => {
        // The database may be briefly unreachable; the switch stays engaged (fail closed) and the next tick retries.
        const report = isConnectionLoss(error) ? console.warn : console.error;
        report(`kill-switch auto-release: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? AUTO_RELEASE_POLL_MS);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
