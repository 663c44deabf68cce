// What a reversal needs besides the spine's actor and origin: when the staff member last stepped up. Approvals, bulk
// runs and large single reversals say `stepUp` in their action spec and performAction enforces it, so no caller can
// skip it; the routes send the member to re-enter a code first.
import type { ActionContext } from "~/audit/perform-action.server";
import type { StaffContext } from "~/auth/guard.server";
import { ReversalDenied } from "~/ledger/reversal-errors";

export interface ReversalContext extends ActionContext {
  steppedUpAt?: Date | null;
}

export function reversalContextOf(ctx: StaffContext): ReversalContext {
  return { actor: ctx.actor, origin: ctx.origin, steppedUpAt: ctx.session.steppedUpAt, session: ctx.session };
}

/** Reversal requests record a staff member (uuid) as requester and decider: the system uses the bulk path. */
export function requireStaffActor(ctx: ReversalContext, what: string) {
  if (ctx.actor.kind !== "staff") throw new ReversalDenied("STAFF_ONLY", `Only a staff member can ${what}.`);
  return ctx.actor;
}
