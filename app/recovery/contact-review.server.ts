// Which contact changes still need an agent's eyes. A change the customer's app made shortly before (or during) an
// incident may be the attacker's: the replay's hijacked victims had their email moved to an attacker's mailbox minutes
// before the fraud. A reset link must not go to such an address until an agent has restored the previous contact or
// confirmed the current one with the caller (docs/decisions/013-account-recovery.md).
import type { DbTx } from "~/db.server";
import type { ContactField } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";

export const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;
/** How far back (before today, or before an incident the customer is a case of) a contact change counts as suspect. */
export const SUSPECT_CHANGE_WINDOW_MS = THIRTY_DAYS;

/** Sources of changes an agent made or confirmed: they end the suspicion of the changes before them. */
export const REVIEWED_SOURCES = ["STAFF_RESTORE", "STAFF_CONFIRM"] as const;
export const STAFF_RESTORE = "STAFF_RESTORE";
export const STAFF_CONFIRM = "STAFF_CONFIRM";

export function isReviewedSource(source: string): boolean {
  return (REVIEWED_SOURCES as readonly string[]).includes(source);
}

/**
 * The earliest moment from which changes are suspect: 30 days before now, or 30 days before the opening of the
 * earliest incident the customer is a case of, whichever is earlier. (The 7pay replay's incident is years old.)
 */
export async function suspectWindowStart(tx: DbTx, customerId: string): Promise<Date> {
  const cases = await tx.incidentCase.findMany({
    where: { customerId },
    select: { incident: { select: { openedAt: true } } },
  });
  const anchors = [now().getTime(), ...cases.map((c) => c.incident.openedAt.getTime())];
  return new Date(Math.min(...anchors) - SUSPECT_CHANGE_WINDOW_MS);
}

export interface UnreviewedChange {
  id: string;
  field: ContactField;
  oldValue: string;
  newValue: string;
  changedAt: Date;
  source: string;
}

/**
 * The change that put the current value in place, when it is recent and no agent has reviewed it since; else null.
 * Only changes after the last agent review count, so a restore or a confirmation clears the flag.
 */
export async function findUnreviewedChange(
  tx: DbTx,
  customerId: string,
  field: ContactField,
): Promise<UnreviewedChange | null> {
  const latest = await tx.contactChange.findFirst({
    where: { customerId, field },
    orderBy: [{ changedAt: "desc" }, { id: "desc" }],
    select: { id: true, field: true, oldValue: true, newValue: true, changedAt: true, source: true },
  });
  if (!latest || isReviewedSource(latest.source)) return null;
  if (latest.changedAt < (await suspectWindowStart(tx, customerId))) return null;
  return latest;
}

/**
 * When the suspicious period started for this customer: the earliest change the app made inside the window, or now.
 * Identity questions are answered against facts from before it (the attacker knows the top-ups they made). A later
 * review does not move it: the attacker's top-ups stay the attacker's.
 */
export async function compromiseStart(tx: DbTx, customerId: string): Promise<Date> {
  const since = await suspectWindowStart(tx, customerId);
  const earliest = await tx.contactChange.findFirst({
    where: { customerId, changedAt: { gte: since }, source: { notIn: [...REVIEWED_SOURCES] } },
    orderBy: { changedAt: "asc" },
    select: { changedAt: true },
  });
  return earliest?.changedAt ?? now();
}
