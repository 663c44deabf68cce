// The send form (Conform + zod on both sides). Browser-safe.
import { z } from "zod";
import { formText } from "~/lib/form-text";
import { COMPOSABLE_TEMPLATES, LANGUAGE_CHOICES } from "~/notify/notice-schemas";

export const SendNoticeSchema = z.object({
  incidentId: z.string({ required_error: "notify:validation.chooseIncident" }).uuid("notify:validation.chooseIncident"),
  template: z.enum(COMPOSABLE_TEMPLATES, { errorMap: () => ({ message: "notify:validation.chooseNotice" }) }),
  language: z.enum(LANGUAGE_CHOICES).default("auto"),
  target: z.enum(["all", "selected"]),
  /** Display IDs, one a line: the one multi-line field. */
  customers: z.string().max(400_000).optional(),
  /** One line: it is recorded with the send in the audit trail. */
  reason: formText({ max: 500, messages: { max: "Keep the reason under 500 characters." } }).optional(),
});
