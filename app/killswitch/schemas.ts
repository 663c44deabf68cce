// The switch board's forms. Deliberately lenient about content: the reason rules, the switch's existence and the
// four-eyes rules are checked by the domain inside the spine, so a refused attempt is audited (and the message is the
// same wherever the attempt came from). Only the shape and the bounds are checked here.
import { z } from "zod";
import { formText } from "~/lib/form-text";

const Key = z.string().max(64);
const RequestId = z.string().max(64);
// Free text goes through the form reader's text rules (trimmed, bounded, no control characters but line breaks).
const Reason = formText({ max: 2000, multiline: true }).optional();

export const BoardActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("engage"), key: Key, reason: Reason, releaseAt: z.string().max(40).optional() }),
  z.object({ intent: z.literal("cancel-auto-release"), key: Key, reason: Reason }),
  z.object({ intent: z.literal("request-release"), key: Key, reason: Reason }),
  z.object({ intent: z.literal("approve"), requestId: RequestId, comment: Reason }),
  z.object({ intent: z.literal("reject"), requestId: RequestId, reason: Reason }),
  z.object({ intent: z.literal("withdraw"), requestId: RequestId, reason: Reason }),
  // Never offered by the page: a direct release is refused (four-eyes) and audited, with a clear message.
  z.object({ intent: z.literal("release"), key: Key, reason: Reason }),
]);
export type BoardAction = z.infer<typeof BoardActionSchema>;

/** Which form on the page an answer belongs to (several forms share one action). */
export function boardFormId(intent: string, subject: string): string {
  return `${intent}:${subject}`;
}

export const ServiceTokenActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    serviceName: formText({ max: 100 }).optional(),
    description: formText({ max: 500 }).optional(),
    // Whole days, checked by the service (createServiceToken): the default when empty.
    validDays: formText({ max: 10 }).optional(),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: z.string().max(64), reason: Reason }),
]);

export const AckBodySchema = z.object({
  instance: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, "instance: 1–100 letters, digits or . _ : -")
    .default("default"),
  applied: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9_.-]{1,64}$/, "key: a switch key such as topup.all"),
        version: z.number().int().min(1).max(2_000_000_000),
      }),
    )
    .min(1, "applied: list at least one { key, version }")
    .max(100),
});
