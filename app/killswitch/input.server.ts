// Input rules shared by every kill-switch change. They run inside the spine (not only in the route), so that a refused
// attempt is audited with what was refused.
import { storableText } from "~/audit/canonical";
import { KillSwitchRefusal } from "~/killswitch/errors";

export const MAX_REASON_LENGTH = 1000;
const MAX_KEY_LENGTH = 64;

/** Trimmed reason, or a refusal. `what` names the reason in the message ("a reason for engaging"). */
export function requireReason(raw: string | null | undefined, what: string): string {
  const reason = (raw ?? "").trim();
  if (reason.length === 0) {
    throw new KillSwitchRefusal(
      "REASON_REQUIRED",
      `Give ${what}: it is recorded in the switch history and the audit trail.`,
      400,
    );
  }
  if (reason.includes("\u0000")) {
    throw new KillSwitchRefusal(
      "REASON_INVALID",
      "The reason contains a NUL character, which cannot be stored: type it again.",
      400,
    );
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new KillSwitchRefusal("REASON_TOO_LONG", `Keep the reason under ${MAX_REASON_LENGTH} characters.`, 400);
  }
  return reason;
}

/** For the audit row of an attempt whose reason may be invalid: what was typed, trimmed and bounded, or nothing. */
export function reasonForAudit(raw: string | null | undefined): string | undefined {
  const reason = (raw ?? "").trim();
  return reason.length > 0 ? reason.slice(0, MAX_REASON_LENGTH) : undefined;
}

/** A user-supplied identifier, bounded before it is written to an audit row. */
export function clipIdentifier(raw: string | null | undefined): string {
  // No switch or request is named with a NUL, and the database refuses one in a lookup: make it a name that matches
  // nothing, so the attempt ends as "unknown" (and audited) rather than as a database error.
  return storableText(raw ?? "").slice(0, MAX_KEY_LENGTH);
}
