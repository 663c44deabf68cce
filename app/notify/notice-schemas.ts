// Input of the compose screen and of the notices API. Browser-safe: the form validates with the same schemas.
import { z } from "zod";

export const COMPOSABLE_TEMPLATES = ["account-secured", "charges-reversed", "incident-update"] as const;
export type ComposableTemplateKey = (typeof COMPOSABLE_TEMPLATES)[number];

export const LANGUAGE_CHOICES = ["auto", "ja", "en"] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/** A send is "bulk" above one recipient: it needs bulk:run and a recent step-up. */
export const MAX_RECIPIENTS_PER_SEND = 20_000;

export const NoticeTargetSchema = z.object({
  incidentId: z.string({ required_error: "notify:validation.chooseIncident" }).uuid("notify:validation.chooseIncident"),
  template: z.enum(COMPOSABLE_TEMPLATES, { errorMap: () => ({ message: "notify:validation.chooseNoticeToSend" }) }),
  /** Absent: every victim of the incident (all its cases). */
  customerIds: z
    .array(z.string().uuid("notify:validation.customerIdsUuid"))
    .min(1, "notify:validation.selectCustomer")
    .max(MAX_RECIPIENTS_PER_SEND, "notify:validation.tooManyRecipients")
    .optional(),
  language: z.enum(LANGUAGE_CHOICES).default("auto"),
});
export type NoticeTarget = z.input<typeof NoticeTargetSchema>;
