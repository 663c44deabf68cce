// Who is on duty: the security leads an alert or a containment is mailed to. A lead puts themself on or off duty
// (audited through the spine); when nobody is on duty, every active security lead is mailed, so an alert at 3 a.m.
// never reaches no one.
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import type { DbTx } from "~/db.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { staffRecipientOf, type StaffRecipient } from "~/notify/staff-mail.server";

type Reader = Pick<DbTx, "staffUser">;

const ACTIVE_LEAD = { role: "SECURITY_LEAD", disabledAt: null } as const;
const RECIPIENT = { id: true, email: true, language: true } as const;

export interface DutyRoster {
  onDuty: { id: string; displayName: string; since: string }[];
  /** Active security leads (who is mailed when nobody is on duty). */
  leads: { id: string; displayName: string }[];
}

export async function dutyRoster(): Promise<DutyRoster> {
  const leads = await prisma.staffUser.findMany({
    where: ACTIVE_LEAD,
    orderBy: { displayName: "asc" },
    select: { id: true, displayName: true, duty: { select: { since: true } } },
  });
  return {
    onDuty: leads.flatMap((l) =>
      l.duty ? [{ id: l.id, displayName: l.displayName, since: l.duty.since.toISOString() }] : [],
    ),
    leads: leads.map((l) => ({ id: l.id, displayName: l.displayName })),
  };
}

/**
 * Who is told of an alert: the active security leads on duty, or every active security lead when none is.
 * `everyone` says which of the two it was (for the audit row).
 */
export async function leadsToNotify(db: Reader): Promise<{ recipients: StaffRecipient[]; everyone: boolean }> {
  const onDuty = await db.staffUser.findMany({
    where: { ...ACTIVE_LEAD, duty: { isNot: null } },
    orderBy: { id: "asc" },
    select: RECIPIENT,
  });
  if (onDuty.length > 0) return { recipients: onDuty.map(staffRecipientOf), everyone: false };
  const all = await db.staffUser.findMany({ where: ACTIVE_LEAD, orderBy: { id: "asc" }, select: RECIPIENT });
  return { recipients: all.map(staffRecipientOf), everyone: true };
}

/** A lead puts themself on duty (true) or off duty (false). Only themself: the staff id comes from the session. */
export async function setOwnDuty(ctx: ActionContext, onDuty: boolean): Promise<void> {
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "detect:errors.staffOnly", 403);
  const staffId = ctx.actor.id;
  await performAction(
    ctx,
    {
      action: onDuty ? "staff.duty.on" : "staff.duty.off",
      permission: "alerts:manage",
      targetType: "staff",
      targetId: staffId,
    },
    async (tx) => {
      const before = await tx.staffDuty.findUnique({ where: { staffId } });
      if (onDuty) {
        if (before) throw new DomainError("DUTY_UNCHANGED", "detect:errors.alreadyOnDuty", 409);
        const since = now();
        // The primary key decides between two clicks at once: the second inserts nothing and is told so (409, not a
        // driver error).
        const inserted = await tx.staffDuty.createMany({ data: [{ staffId, since }], skipDuplicates: true });
        if (inserted.count === 0) throw new DomainError("DUTY_UNCHANGED", "detect:errors.alreadyOnDuty", 409);
        return { result: undefined, before: { onDuty: false }, after: { onDuty: true, since: since.toISOString() } };
      }
      if (!before) throw new DomainError("DUTY_UNCHANGED", "detect:errors.alreadyOffDuty", 409);
      await tx.staffDuty.deleteMany({ where: { staffId } });
      return {
        result: undefined,
        before: { onDuty: true, since: before.since.toISOString() },
        after: { onDuty: false },
      };
    },
  );
}
