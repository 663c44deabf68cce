// Form schemas of the reversal pages (browser-safe). The amount travels as text and is converted here without
// judging it: zero, negative, fractional or over-the-remainder amounts are refused by the domain, inside the audited
// spine, so that every such attempt is recorded.
import { z } from "zod";
import { AccountReason } from "~/accounts/account-forms";
import { formText } from "~/lib/form-text";

export const ReverseChargeFields = z.object({
  transactionId: z.string({ required_error: "reversals:validation.chooseCharge" }).max(64),
  amount: z.string({ required_error: "reversals:validation.enterAmount" }).max(30),
  reasonCode: z.string({ required_error: "reversals:validation.chooseReason" }).max(40),
  note: formText({ max: 2000, multiline: true }).optional(),
  idempotencyKey: z.string({ required_error: "reversals:validation.noIdempotencyKey" }).max(120),
});

/**
 * Freezing the account from the reversal page, when its refund waits for the account to be secured: the agent stays on
 * the charge they were refunding instead of leaving for the account view and finding it again.
 */
export const FreezeBeforeRefundFields = z.object({
  intent: z.literal("freeze"),
  transactionId: z.string({ required_error: "reversals:validation.chooseCharge" }).max(64),
  reason: AccountReason,
  // The one-time key the page rendered into the freeze form (ADR 112): a repeat freezes nothing and is led back.
  submissionKey: z.string().uuid("accounts:validation.staleForm").optional(),
});

// The one-time key a page rendered into a decision form (ADR 112): a repeat decides nothing again and is led back.
const SubmissionKey = z.string().uuid("accounts:validation.staleForm").optional();

export const DecisionFields = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    comment: formText({ max: 2000, multiline: true }).optional(),
    submissionKey: SubmissionKey,
  }),
  z.object({
    intent: z.literal("reject"),
    reason: formText({ max: 2000, multiline: true }).optional(),
    submissionKey: SubmissionKey,
  }),
  z.object({ intent: z.literal("withdraw"), submissionKey: SubmissionKey }),
]);

/** "12,000", "¥12000", " 12000 " → 12000; anything that is not a plain number → NaN (the domain refuses it). */
export function parseYenInput(raw: string): number {
  const cleaned = raw.replace(/[,¥￥\s]/g, "");
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

/** Which field a domain refusal belongs to, so the page shows it next to that field. */
export function fieldOfError(code: string): "amount" | "reasonCode" | "note" | null {
  if (["INVALID_AMOUNT", "EXCEEDS_REMAINING", "WALLET_WOULD_GO_NEGATIVE", "ALREADY_FULLY_REVERSED"].includes(code)) {
    return "amount";
  }
  if (code === "UNKNOWN_REASON_CODE") return "reasonCode";
  if (code === "NOTE_REQUIRED" || code === "NOTE_TOO_LONG") return "note";
  return null;
}
