// Audit plumbing for authentication. Most staff changes go through performAction. Sign-in attempts are different: a
// failed attempt must itself change state (a failure counter, a lock, a throttle row) and that change must commit
// together with its FAILED or DENIED audit row — performAction rolls the change back when it fails. So attempts run
// in recordAttempt: one transaction, the change and its audit rows appended to the same hash chain.
import type { Actor } from "~/audit/actor";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { prisma, type DbTx } from "~/db.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import type { Role } from "~/auth/permissions";

/** Who acts for the sign-in machinery itself (a lock expiring). */
export const AUTH_SYSTEM_ACTOR: Actor = { kind: "system", id: "system:auth" };
export const ANONYMOUS_ACTOR: Actor = { kind: "anonymous" };

export function staffActor(staff: { id: string; role: Role; email: string }): Extract<Actor, { kind: "staff" }> {
  return { kind: "staff", id: staff.id, role: staff.role, email: staff.email };
}

export async function recordAttempt<T>(
  fn: (tx: DbTx) => Promise<{ result: T; events: AuditEventInput[] }>,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const { result, events } = await fn(tx);
    await appendAuditEvents(tx, events);
    return result;
  }, TRANSACTION_OPTIONS);
}

/** Serialises concurrent attempts on one staff member (password guesses, code guesses) for the transaction. */
export async function lockStaffRow(tx: DbTx, staffId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM staff_user WHERE id = ${staffId}::uuid FOR UPDATE`;
}
