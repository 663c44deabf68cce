// What a reversal needs besides the spine's actor and origin: when the staff member last stepped up (approvals and
// bulk runs require a fresh one; routes send the user to re-enter a code, and the domain checks again so no other
// caller can skip it).
import type { ActionContext } from "~/audit/perform-action.server";
import { STEP_UP_WINDOW_MS, type StaffContext } from "~/auth/guard.server";
import { now } from "~/lib/clock.server";
import { ReversalDenied } from "~/ledger/reversal-errors";

export interface ReversalContext extends ActionContext {
  steppedUpAt?: Date | null;
}

export function reversalContextOf(ctx: StaffContext): ReversalContext {
  return { actor: ctx.actor, origin: ctx.origin, steppedUpAt: ctx.session.steppedUpAt };
}

export function assertSteppedUp(ctx: ReversalContext, what: string): void {
  const at = ctx.steppedUpAt;
  if (!at || now().getTime() - at.getTime() >= STEP_UP_WINDOW_MS) {
    throw new ReversalDenied(
      "STEP_UP_REQUIRED",
      `Confirm it is you with a fresh authenticator code before you ${what}.`,
    );
  }
}

/** Reversal requests record a staff member (uuid) as requester and decider: the system uses the bulk path. */
export function requireStaffActor(ctx: ReversalContext, what: string) {
  if (ctx.actor.kind !== "staff") throw new ReversalDenied("STAFF_ONLY", `Only a staff member can ${what}.`);
  return ctx.actor;
}
