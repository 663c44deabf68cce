// What every kill-switch change needs besides the spine's actor and origin: when the staff member last stepped up.
// The action specs that need it say `stepUp: true` and performAction enforces it (and audits a refusal), so no caller
// can engage or release a switch on a stale session; the routes send the member to re-enter a code first.
import type { ActionContext } from "~/audit/perform-action.server";
import type { StaffContext } from "~/auth/guard.server";
import { KillSwitchRefusal } from "~/killswitch/errors";

export interface KillSwitchContext extends ActionContext {
  /** Staff only: when the session last re-verified a TOTP code. System actors do not step up. */
  steppedUpAt?: Date | null;
}

export function killSwitchContextOf(ctx: StaffContext): KillSwitchContext {
  return { actor: ctx.actor, origin: ctx.origin, steppedUpAt: ctx.session.steppedUpAt, session: ctx.session };
}

/** The staff member acting, for rules that only a person can satisfy (four-eyes). */
export function requireStaffActor(ctx: KillSwitchContext, what: string) {
  if (ctx.actor.kind !== "staff") {
    throw new KillSwitchRefusal("STAFF_ONLY", `Only a security lead can ${what}.`, 403);
  }
  return ctx.actor;
}

export function actorColumns(ctx: KillSwitchContext): { actorId: string; actorKind: "STAFF" | "SYSTEM" } {
  if (ctx.actor.kind === "staff") return { actorId: ctx.actor.id, actorKind: "STAFF" };
  if (ctx.actor.kind === "system") return { actorId: ctx.actor.id, actorKind: "SYSTEM" };
  throw new KillSwitchRefusal("STAFF_ONLY", "Only staff or the system can change a kill switch.", 403);
}
