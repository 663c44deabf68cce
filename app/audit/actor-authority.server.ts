// A staff request is authorised by its guard when it arrives, but its change is written later: after the form was
// read, which a client can drag out for as long as the server waits for a body (minutes). In that time an admin may
// disable the member, demote them or end their sessions. So the spine asks again, inside the writing transaction:
// does the session the request came with still exist, is its member still enabled, and does the member's role as
// stored now still hold the permission? (Idle and lifetime limits were checked when the request arrived; a session
// that runs out meanwhile is deleted only by a later request, so they are not asked again here.) A plain read, no lock:
// locking the session would deadlock two admins disabling each other, and what remains is a race within one
// transaction's own run, which no client can stretch. A context without a session (a worker, a job acting for the
// member who started it) is judged by its actor alone, as before.
import type { Actor } from "~/audit/actor";
import { roleHasPermission, type Permission, type Role } from "~/auth/permissions";
import type { DbTx } from "~/db.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";

export class SessionEndedError extends PermissionDeniedError {
  constructor() {
    super("Your session has ended or your account was changed meanwhile. Sign in again.", "SESSION_ENDED", 403);
    this.name = "SessionEndedError";
  }
}

interface StoredAuthority {
  role: Role;
  disabled_at: Date | null;
}

/** Throws unless the staff actor's session and role, as stored now, still allow `permission`. */
export async function assertStoredAuthority(
  tx: DbTx,
  actor: Actor,
  sessionId: string | undefined,
  permission: Permission | null,
): Promise<void> {
  if (actor.kind !== "staff" || !sessionId) return;
  const [stored] = await tx.$queryRaw<StoredAuthority[]>`
    SELECT u.role::text AS role, u.disabled_at
      FROM staff_session s JOIN staff_user u ON u.id = s.staff_id
     WHERE s.id = ${sessionId} AND s.staff_id::text = ${actor.id} AND s.stage = 'FULL'`;
  if (!stored || stored.disabled_at !== null) throw new SessionEndedError();
  if (permission !== null && !roleHasPermission(stored.role, permission)) throw new PermissionDeniedError();
}

export class RequesterNoLongerEntitledError extends DomainError {
  constructor() {
    // Named by its key, so every page says it in the reader's language, forms that show a refusal's own message too.
    super("REQUESTER_NO_LONGER_ENTITLED", "errors:REQUESTER_NO_LONGER_ENTITLED", 409);
    this.name = "RequesterNoLongerEntitledError";
  }
}

/**
 * Four eyes judge a request on its requester's word. A member is disabled or demoted because their account was
 * taken over or they misused it, and what they asked for before that must not go through on a second person's
 * click afterwards (a suspect contact kept, a switch released, a reversal or a rule published). So an approval
 * asks, in its own transaction, whether the requester is still enabled and their role as stored now still holds
 * `permission`, the one the request was filed under. Staff rows are never deleted, so a requester nobody can find
 * is refused as well.
 */
export async function assertRequesterStillEntitled(
  tx: DbTx,
  requesterId: string,
  permission: Permission,
): Promise<void> {
  const requester = await tx.staffUser.findUnique({
    where: { id: requesterId },
    select: { role: true, disabledAt: true },
  });
  if (!requester || requester.disabledAt !== null || !roleHasPermission(requester.role, permission)) {
    throw new RequesterNoLongerEntitledError();
  }
}
