// Step-up: re-entering a TOTP code right before a sensitive action (kill switches, approvals, bulk actions, large
// reversals, staff changes). A success stamps the current session; guard.server.ts's hasRecentStepUp reads the stamp.
import type { StaffContext } from "~/auth/guard.server";
import { verifySecondFactor, type SecondFactorResult } from "~/auth/second-factor.server";
import { now } from "~/lib/clock.server";

export async function stepUp(ctx: StaffContext, code: string): Promise<SecondFactorResult<Date>> {
  return verifySecondFactor({
    staff: ctx.staff,
    kind: "totp",
    code,
    purpose: "step-up",
    sessionId: ctx.session.id,
    origin: ctx.origin,
    onSuccess: async (tx) => {
      const steppedUpAt = now();
      await tx.staffSession.updateMany({ where: { id: ctx.session.id }, data: { steppedUpAt } });
      return steppedUpAt;
    },
  });
}
