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

const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000;
/** A change made from a device the account first saw less than this long before is "from an unknown device". */
export const KNOWN_DEVICE_MIN_AGE_MS = SEVEN_DAYS;

export interface UnreviewedChange {
  id: string;
  field: ContactField;
  oldValue: string;
  newValue: string;
  changedAt: Date;
  source: string;
  oldValueVerified: boolean;
  /** When the account first saw the device the change came from (null: no device recorded). */
  deviceFirstSeenAt: Date | null;
}

/**
 * Suspect: not an agent's review, and either inside the suspect window or made from a device unknown to the account
 * (first seen less than seven days before the change). The attacker's phone is new to the account; the owner's is not.
 */
export function isSuspectChange(
  change: Pick<UnreviewedChange, "changedAt" | "source" | "deviceFirstSeenAt">,
  windowStart: Date,
): boolean {
  if (isReviewedSource(change.source)) return false;
  if (change.changedAt >= windowStart) return true;
  if (!change.deviceFirstSeenAt) return false;
  return change.changedAt.getTime() - change.deviceFirstSeenAt.getTime() < KNOWN_DEVICE_MIN_AGE_MS;
}

/** The field's changes after the last agent review (restore or confirmation), oldest first. */
async function changesSinceReview(tx: DbTx, customerId: string, field: ContactField): Promise<UnreviewedChange[]> {
  const rows = await tx.contactChange.findMany({
    where: { customerId, field },
    orderBy: [{ changedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      field: true,
      oldValue: true,
      newValue: true,
      changedAt: true,
      source: true,
      oldValueVerified: true,
      device: { select: { firstSeenAt: true } },
    },
  });
  const lastReview = rows.findLastIndex((row) => isReviewedSource(row.source));
  return rows
    .slice(lastReview + 1)
    .map(({ device, ...row }) => ({ ...row, deviceFirstSeenAt: device?.firstSeenAt ?? null }));
}

/**
 * The first suspect change since the last agent review, or null. While there is one, the current value may be the
 * attacker's: no reset link goes there. Its old value is the last known-good value (see findKnownGoodContact).
 * Only changes after the last review count, so a restore or an approved keep clears it.
 */
export async function findUnreviewedChange(
  tx: DbTx,
  customerId: string,
  field: ContactField,
): Promise<UnreviewedChange | null> {
  const changes = await changesSinceReview(tx, customerId, field);
  if (changes.length === 0) return null;
  const windowStart = await suspectWindowStart(tx, customerId);
  return changes.find((change) => isSuspectChange(change, windowStart)) ?? null;
}

export interface KnownGoodContact {
  field: ContactField;
  /** Null when there is none the customer ever verified: no code can go to this field. */
  value: string | null;
  /** The change after which the file stopped being trustworthy, if any. */
  firstSuspect: UnreviewedChange | null;
}

/**
 * The last known-good value of a contact: the value before the first suspect change since the last agent review, if
 * the customer had verified it; else the current value, if verified and nothing suspect happened since. Codes go only
 * here, so the attacker (who set the current value) never receives one.
 */
export async function findKnownGoodContact(
  tx: DbTx,
  customer: { id: string; email: string; emailVerified: boolean; phone: string; phoneVerified: boolean },
  field: ContactField,
): Promise<KnownGoodContact> {
  const firstSuspect = await findUnreviewedChange(tx, customer.id, field);
  if (firstSuspect) {
    return { field, value: firstSuspect.oldValueVerified ? firstSuspect.oldValue : null, firstSuspect };
  }
  const current = field === "EMAIL" ? customer.email : customer.phone;
  const verified = field === "EMAIL" ? customer.emailVerified : customer.phoneVerified;
  return { field, value: verified && current ? current : null, firstSuspect: null };
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

const SUSPECT_WINDOW_DAYS = SUSPECT_CHANGE_WINDOW_MS / (24 * 60 * 60 * 1000);
const KNOWN_DEVICE_MIN_AGE_DAYS = KNOWN_DEVICE_MIN_AGE_MS / (24 * 60 * 60 * 1000);

// Customers per statement in the set-based form: an incident notice goes to thousands of victims at once.
const LOOKUP_CHUNK = 2_000;

/**
 * findUnreviewedChange for many customers, set-based (cohort previews and incident notices to thousands of accounts):
 * for each customer among `customerIds` with a suspect change of `field` since their last agent review, when the first
 * such change was made. Same rule, one statement per 2,000 customers.
 */
export async function firstUnreviewedChanges(
  db: Pick<DbTx, "$queryRaw">,
  customerIds: string[],
  field: ContactField,
): Promise<Map<string, Date>> {
  const found = new Map<string, Date>();
  const at = now();
  const reviewed = [...REVIEWED_SOURCES];
  for (let i = 0; i < customerIds.length; i += LOOKUP_CHUNK) {
    const ids = JSON.stringify(customerIds.slice(i, i + LOOKUP_CHUNK));
    // The members' changes of the field first: most recipients of a notice have none, and only those who do need
    // their window and last review worked out.
    const rows = await db.$queryRaw<{ customer_id: string; first_at: Date }[]>`
      WITH changes AS (
        SELECT cc.id, cc.customer_id, cc.changed_at, cc.source, cc.device_id
        FROM contact_change cc
        WHERE cc.customer_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${ids}::text::jsonb))
          AND cc.field = ${field}::"ContactField"
      ),
      windows AS (
        SELECT c.customer_id AS id,
               LEAST(${at}::timestamptz, MIN(i.opened_at)) - make_interval(days => ${SUSPECT_WINDOW_DAYS}::int) AS start
        FROM (SELECT DISTINCT customer_id FROM changes) c
        LEFT JOIN incident_case ic ON ic.customer_id = c.customer_id
        LEFT JOIN incident i ON i.id = ic.incident_id
        GROUP BY c.customer_id
      ),
      last_review AS (
        SELECT DISTINCT ON (customer_id) customer_id, changed_at, id
        FROM changes
        WHERE source = ANY(${reviewed}::text[])
        ORDER BY customer_id, changed_at DESC, id DESC
      )
      SELECT cc.customer_id::text AS customer_id, MIN(cc.changed_at) AS first_at
      FROM changes cc
      JOIN windows w ON w.id = cc.customer_id
      LEFT JOIN last_review lr ON lr.customer_id = cc.customer_id
      LEFT JOIN device d ON d.id = cc.device_id
      WHERE NOT (cc.source = ANY(${reviewed}::text[]))
        AND (lr.customer_id IS NULL OR (cc.changed_at, cc.id) > (lr.changed_at, lr.id))
        AND (
          cc.changed_at >= w.start
          OR (d.first_seen_at IS NOT NULL
              AND cc.changed_at - d.first_seen_at < make_interval(days => ${KNOWN_DEVICE_MIN_AGE_DAYS}::int))
        )
      GROUP BY cc.customer_id`;
    for (const row of rows) found.set(row.customer_id, new Date(row.first_at));
  }
  return found;
}

/** The customers among `customerIds` with a suspect change of `field` since their last agent review. */
export async function customersWithUnreviewedChange(
  db: Pick<DbTx, "$queryRaw">,
  customerIds: string[],
  field: ContactField,
): Promise<Set<string>> {
  return new Set((await firstUnreviewedChanges(db, customerIds, field)).keys());
}
