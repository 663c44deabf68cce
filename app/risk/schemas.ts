// Console input for risk rules and reviews. The condition itself is checked by app/risk/condition.ts, whose messages
// name the problem (unknown feature, wrong type, matches everything).
import { z } from "zod";
import { OUTCOMES } from "~/risk/engine";
import { EVENT_KINDS, FUNDING_CHANNELS } from "~/risk/features";

// PostgreSQL text cannot hold NUL: refuse it as input rather than fail on the insert.
const noNul = (value: string) => !value.includes("\u0000");

export const RULE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,59}$/;

export const DraftRuleSchema = z
  .object({
    ruleKey: z
      .string({ required_error: "risk:validation.ruleKeyRequired" })
      .trim()
      .toLowerCase()
      .regex(RULE_KEY_PATTERN, "risk:validation.ruleKeyPattern"),
    name: z
      .string({ required_error: "risk:validation.nameRequired" })
      .trim()
      .min(3, "risk:validation.nameTooShort")
      .max(200, "risk:validation.nameTooLong")
      .refine(noNul, "risk:validation.nameUnstorable"),
    condition: z
      .string({ required_error: "risk:validation.conditionRequired" })
      .trim()
      .min(1, "risk:validation.conditionRequired")
      .refine(noNul, "risk:validation.conditionUnstorable"),
    outcome: z.enum(OUTCOMES, { errorMap: () => ({ message: "risk:validation.chooseOutcome" }) }),
    channel: z
      .union([z.enum(FUNDING_CHANNELS), z.literal("ALL")], {
        errorMap: () => ({ message: "risk:validation.chooseChannel" }),
      })
      .default("ALL"),
    eventKind: z
      .enum(EVENT_KINDS, { errorMap: () => ({ message: "risk:validation.chooseEventKind" }) })
      .default("TOP_UP"),
    // The page's one-time key for this rendering of the form (ADR 095): a second post drafts nothing.
    submissionKey: z.string().uuid("risk:validation.reloadForm").optional(),
  })
  .refine((rule) => rule.eventKind === "TOP_UP" || rule.channel === "ALL", {
    message: "risk:validation.channelOnlyForTopUps",
    path: ["channel"],
  });
/** A rule written before event kinds existed decides top-ups: eventKind may be left out. */
export type DraftRuleInput = Omit<z.infer<typeof DraftRuleSchema>, "eventKind"> & {
  eventKind?: z.infer<typeof DraftRuleSchema>["eventKind"];
};

export const RuleIntentSchema = z.discriminatedUnion("intent", [
  // The page's one-time key for the button (ADR 095): a resent post after the replay ended queues no second one.
  z.object({ intent: z.literal("backtest"), submissionKey: z.string().uuid("risk:validation.reloadForm").optional() }),
  z.object({ intent: z.literal("cancel-backtest") }),
  z.object({ intent: z.literal("publish") }),
  z.object({
    intent: z.literal("disable"),
    reason: z
      .string()
      .trim()
      .max(500, "risk:validation.reasonTooLong")
      .refine(noNul, "risk:validation.reasonUnstorable")
      .optional(),
  }),
]);

export const ReviewDecisionSchema = z.object({
  reviewId: z.string().uuid("risk:validation.noSuchReview"),
  intent: z.enum(["approve", "decline"]),
  // The one-time key the queue rendered into this decision's form (ADR 112): a repeat decides nothing again.
  submissionKey: z.string().uuid("risk:validation.noSuchReview").optional(),
});
