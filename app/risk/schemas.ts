// Console input for risk rules and reviews. The condition itself is checked by app/risk/condition.ts, whose messages
// name the problem (unknown feature, wrong type, matches everything).
import { z } from "zod";
import { OUTCOMES } from "~/risk/engine";
import { FUNDING_CHANNELS } from "~/risk/features";

// PostgreSQL text cannot hold NUL: refuse it as input rather than fail on the insert.
const noNul = (value: string) => !value.includes("\u0000");

export const RULE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,59}$/;

export const DraftRuleSchema = z.object({
  ruleKey: z
    .string({ required_error: "Give the rule a key." })
    .trim()
    .toLowerCase()
    .regex(RULE_KEY_PATTERN, "Use 2–60 lowercase letters, digits and hyphens (for example new-device-abroad)."),
  name: z
    .string({ required_error: "Give the rule a name." })
    .trim()
    .min(3, "Give the rule a name of at least 3 characters.")
    .max(200, "Keep the name under 200 characters.")
    .refine(noNul, "The name contains a character that cannot be stored."),
  condition: z
    .string({ required_error: "Write the rule's condition." })
    .trim()
    .min(1, "Write the rule's condition.")
    .refine(noNul, "The condition contains a character that cannot be stored."),
  outcome: z.enum(OUTCOMES, { errorMap: () => ({ message: "Choose an outcome." }) }),
  channel: z
    .union([z.enum(FUNDING_CHANNELS), z.literal("ALL")], { errorMap: () => ({ message: "Choose a channel." }) })
    .default("ALL"),
});
export type DraftRuleInput = z.infer<typeof DraftRuleSchema>;

export const RuleIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("backtest") }),
  z.object({ intent: z.literal("publish") }),
  z.object({
    intent: z.literal("disable"),
    reason: z
      .string()
      .trim()
      .max(500, "Keep the reason under 500 characters.")
      .refine(noNul, "The reason contains a character that cannot be stored.")
      .optional(),
  }),
]);

export const ReviewDecisionSchema = z.object({
  reviewId: z.string().uuid("There is no such review item."),
  intent: z.enum(["approve", "decline"]),
});
