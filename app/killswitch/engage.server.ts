// Engaging a switch stops a flow. Safety first: one security lead, after step-up, with a reason, takes effect in the
// same transaction that records it. An optional automatic release time is part of that one decision; it can later be
// cancelled (tightening, one lead) but never added or moved earlier (that would be a release without four-eyes).
import { performAction, type ChangeOutcome } from "~/audit/perform-action.server";
import type { DbTx } from "~/db.server";
import { actorColumns, type KillSwitchContext } from "~/killswitch/context.server";
import { KillSwitchRefusal } from "~/killswitch/errors";
import { clipIdentifier, reasonForAudit, requireReason } from "~/killswitch/input.server";
import {
  lockSwitch,
  markPendingRequestsStale,
  staleAuditEvents,
  switchSnapshot,
} from "~/killswitch/switch-rows.server";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";

export const FIVE_MINUTES = 5 * 60 * 1000;
export const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000;
/** Earlier than this is not an automatic release but a mistake, or a way round four-eyes. */
export const MIN_AUTO_RELEASE_DELAY_MS = FIVE_MINUTES;
/** A switch left engaged longer than this should be a deliberate, reviewed decision, not a timer. */
export const MAX_AUTO_RELEASE_DELAY_MS = SEVEN_DAYS;

export interface EngageInput {
  key: string;
  reason: string;
  /** Optional automatic release. */
  releaseAt?: Date | null;
}

export interface SwitchChangeResult {
  key: string;
  label: string;
  engaged: boolean;
  version: number;
  releaseAt: Date | null;
}

function validateReleaseAt(releaseAt: Date | null | undefined, at: Date): Date | null {
  if (releaseAt === null || releaseAt === undefined) return null;
  if (Number.isNaN(releaseAt.getTime())) {
    throw new KillSwitchRefusal(
      "RELEASE_TIME_INVALID",
      "The automatic release time is not a valid date and time.",
      400,
    );
  }
  const delay = releaseAt.getTime() - at.getTime();
  if (delay < MIN_AUTO_RELEASE_DELAY_MS) {
    throw new KillSwitchRefusal(
      "RELEASE_TIME_TOO_SOON",
      `The automatic release must be at least ${MIN_AUTO_RELEASE_DELAY_MS / 60_000} minutes from now (it is ${formatJst(at)} now).`,
      400,
    );
  }
  if (delay > MAX_AUTO_RELEASE_DELAY_MS) {
    throw new KillSwitchRefusal(
      "RELEASE_TIME_TOO_LATE",
      "The automatic release can be at most 7 days ahead; leave it empty to keep the switch engaged until released.",
      400,
    );
  }
  return releaseAt;
}

/** Audit rows a caller adds to the engagement's own transaction. */
export type EngagementEvents = NonNullable<ChangeOutcome<unknown>["extraEvents"]>;

/**
 * `alsoInTransaction` runs after the switch moved, in the same transaction, for a caller whose own record must commit
 * with the engagement or not at all (a containment policy's firing: ADR 076); its rows are chained with the engage's.
 * Whatever it throws rolls the engagement back.
 */
export async function engageSwitch(
  ctx: KillSwitchContext,
  input: EngageInput,
  alsoInTransaction?: (tx: DbTx) => Promise<EngagementEvents>,
): Promise<SwitchChangeResult> {
  const key = clipIdentifier(input.key);
  return performAction(
    ctx,
    {
      action: "killswitch.engage",
      permission: "killswitch:change",
      stepUp: true,
      targetType: "kill_switch",
      targetId: key,
      reason: reasonForAudit(input.reason),
    },
    async (tx) => {
      const reason = requireReason(input.reason, "a reason for engaging the switch");
      const at = now();
      const releaseAt = validateReleaseAt(input.releaseAt, at);
      const current = await lockSwitch(tx, key, "change");
      if (current.engaged) {
        throw new KillSwitchRefusal(
          "KILL_SWITCH_ALREADY_ENGAGED",
          `"${current.label}" is already engaged (since ${formatJst(current.changedAt)}). Nothing was changed.`,
          409,
          { since: formatJst(current.changedAt, "ja") },
        );
      }
      const version = current.version + 1;
      const { actorId, actorKind } = actorColumns(ctx);
      const updated = await tx.killSwitch.update({
        where: { key },
        data: {
          engaged: true,
          version,
          changedById: actorKind === "STAFF" ? actorId : null,
          changedAt: at,
          reason,
          releaseAt,
        },
      });
      await tx.killSwitchChange.create({
        data: {
          switchKey: key,
          kind: "ENGAGE",
          engaged: true,
          version,
          actorId,
          actorKind,
          reason,
          releaseAt,
          occurredAt: at,
        },
      });
      const stale = await markPendingRequestsStale(tx, key, version, at);
      const callers = alsoInTransaction ? await alsoInTransaction(tx) : [];
      return {
        result: { key, label: current.label, engaged: true, version, releaseAt },
        before: switchSnapshot(current),
        after: switchSnapshot(updated),
        extraEvents: [...staleAuditEvents(key, stale, version), ...callers],
      };
    },
  );
}

/** Removes the automatic release of an engaged switch: the switch then stays engaged until a four-eyes release. */
export async function cancelAutomaticRelease(
  ctx: KillSwitchContext,
  input: { key: string; reason: string },
): Promise<SwitchChangeResult> {
  const key = clipIdentifier(input.key);
  return performAction(
    ctx,
    {
      action: "killswitch.cancel-auto-release",
      permission: "killswitch:change",
      stepUp: true,
      targetType: "kill_switch",
      targetId: key,
      reason: reasonForAudit(input.reason),
    },
    async (tx) => {
      const reason = requireReason(input.reason, "a reason for cancelling the automatic release");
      const current = await lockSwitch(tx, key, "change");
      if (!current.engaged || !current.releaseAt) {
        throw new KillSwitchRefusal(
          "NO_AUTOMATIC_RELEASE",
          `"${current.label}" has no automatic release to cancel. Nothing was changed.`,
          409,
        );
      }
      const at = now();
      const version = current.version + 1;
      const { actorId, actorKind } = actorColumns(ctx);
      // changedBy/changedAt/reason keep describing the engagement (who stopped the flow and why); the cancellation
      // is in the history.
      const updated = await tx.killSwitch.update({ where: { key }, data: { version, releaseAt: null } });
      await tx.killSwitchChange.create({
        data: {
          switchKey: key,
          kind: "CANCEL_AUTO_RELEASE",
          engaged: true,
          version,
          actorId,
          actorKind,
          reason,
          releaseAt: null,
          occurredAt: at,
        },
      });
      const stale = await markPendingRequestsStale(tx, key, version, at);
      return {
        result: { key, label: current.label, engaged: true, version, releaseAt: null },
        before: switchSnapshot(current),
        after: switchSnapshot(updated),
        extraEvents: staleAuditEvents(key, stale, version),
      };
    },
  );
}
