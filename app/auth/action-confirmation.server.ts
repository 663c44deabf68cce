// Codes bound to the action (dynamic linking, as PSD2 asks of payments): a bulk reversal of millions of yen or a reset
// of a hundred accounts is confirmed with a fresh authenticator code typed on the confirmation form itself, for that
// dry run. The code is verified and consumed (each TOTP step is accepted once), and what it confirmed — the action and
// the dry run's digest — is written in the same audited row. The domain service then accepts only a confirmation
// issued by this module, for its own action and the digest it recomputed, within two minutes: a code typed for one
// action never authorises another, and a step-up taken minutes earlier for a kill switch does not stand in for it.
// See docs/decisions/017-codes-bound-to-the-action.md.
import type { StaffContext } from "~/auth/guard.server";
import { verifySecondFactor } from "~/auth/second-factor.server";
import { liveEnv } from "~/env.server";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";
import { DomainError } from "~/lib/domain-error";

const TWO_MINUTES = 2 * 60 * 1000;
/** A confirmation is used in the request that made it; two minutes only allow for a slow dry-run recomputation. */
export const CONFIRMATION_LIFETIME_MS = TWO_MINUTES;

export interface ActionBinding {
  /** The audited action the code confirms, e.g. "ledger.bulk-reverse.start". */
  action: string;
  /** The digest of the dry run shown on the confirmation form. */
  digest: string;
}

export interface ActionConfirmation extends ActionBinding {
  readonly staffId: string;
  readonly confirmedAt: Date;
}

// Only objects this module made are confirmations: a caller cannot build one by hand and skip the code.
const issued = new WeakSet<ActionConfirmation>();

export class ConfirmationCodeError extends DomainError {
  constructor(
    code: "CONFIRMATION_CODE_REQUIRED" | "CONFIRMATION_CODE_INVALID" | "CONFIRMATION_CODE_BLOCKED",
    message: string,
    params: Record<string, string | number> = {},
  ) {
    super(code, message, 403, params);
    this.name = "ConfirmationCodeError";
  }
}

/** Whether a bulk action of this size needs a code bound to it (configurable; default ¥1,000,000 or 100 accounts). */
export function needsConfirmationCode(size: { yen: number; accounts: number }): boolean {
  const config = liveEnv();
  return (
    size.yen >= config.FIREBREAK_BULK_CONFIRMATION_MIN_YEN ||
    size.accounts >= config.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS
  );
}

/** Verifies and consumes `code` for this one action and dry run. Wrong, replayed or blocked codes throw. */
export async function confirmActionWithCode(
  ctx: StaffContext,
  code: string,
  binding: ActionBinding,
): Promise<ActionConfirmation> {
  const trimmed = code.normalize("NFKC").replace(/\s+/g, "");
  if (!/^\d{6}$/.test(trimmed)) {
    throw new ConfirmationCodeError("CONFIRMATION_CODE_INVALID", "Enter the 6-digit code from your authenticator app.");
  }
  const result = await verifySecondFactor({
    staff: { id: ctx.staff.id, role: ctx.staff.role, email: ctx.staff.email },
    kind: "totp",
    code: trimmed,
    purpose: "confirm-action",
    sessionId: ctx.session.id,
    origin: ctx.origin,
    auditDetails: { confirms: binding.action, digest: binding.digest },
    // The code is a fresh second factor of this member in this session, as a step-up's is: it stamps the session the
    // same way, so the confirmation form is enough on its own. Sending the lead to the step-up page first would spend
    // the authenticator's current code there and leave them waiting up to 30 s for the next one to type here.
    onSuccess: async (tx) => {
      const confirmedAt = now();
      await tx.staffSession.updateMany({ where: { id: ctx.session.id }, data: { steppedUpAt: confirmedAt } });
      return confirmedAt;
    },
  });
  if (!result.ok && result.reason === "blocked" && result.blockedUntil) {
    throw new ConfirmationCodeError("CONFIRMATION_CODE_BLOCKED", result.message, {
      until: formatJst(result.blockedUntil, "ja"),
    });
  }
  if (!result.ok) throw new ConfirmationCodeError("CONFIRMATION_CODE_INVALID", result.message);
  const confirmation: ActionConfirmation = Object.freeze({
    action: binding.action,
    digest: binding.digest,
    staffId: ctx.staff.id,
    confirmedAt: result.value,
  });
  issued.add(confirmation);
  return confirmation;
}

/** The member's context as it stands after `confirmation`: the session stepped up when the code was accepted. */
export function steppedUpBy(ctx: StaffContext, confirmation: ActionConfirmation): StaffContext {
  return { ...ctx, session: { ...ctx.session, steppedUpAt: confirmation.confirmedAt } };
}

/**
 * Inside the domain service, after it recomputed the dry run: the confirmation must be one this module issued, to this
 * staff member, for this action and this digest, and fresh.
 */
export function assertConfirmedFor(
  confirmation: ActionConfirmation | null | undefined,
  expected: ActionBinding & { staffId: string },
): void {
  const valid =
    confirmation !== null &&
    confirmation !== undefined &&
    issued.has(confirmation) &&
    confirmation.action === expected.action &&
    confirmation.digest === expected.digest &&
    confirmation.staffId === expected.staffId &&
    now().getTime() - confirmation.confirmedAt.getTime() < CONFIRMATION_LIFETIME_MS;
  if (!valid) {
    throw new ConfirmationCodeError(
      "CONFIRMATION_CODE_REQUIRED",
      "An action this large needs a fresh authenticator code typed on this confirmation form. Nothing was started.",
    );
  }
}
