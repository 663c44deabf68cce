// The send form (Conform + zod on both sides). Browser-safe.
import { z } from "zod";
import { COMPOSABLE_TEMPLATES, LANGUAGE_CHOICES } from "~/notify/notice-schemas";

export const SendNoticeSchema = z.object({
  incidentId: z.string({ required_error: "Choose an incident." }).uuid("Choose an incident."),
  template: z.enum(COMPOSABLE_TEMPLATES, { errorMap: () => ({ message: "Choose a notice." }) }),
  language: z.enum(LANGUAGE_CHOICES).default("auto"),
  target: z.enum(["all", "selected"]),
  customers: z.string().max(400_000).optional(),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
});
