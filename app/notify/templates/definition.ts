import { z } from "zod";
import type { Language } from "~/notify/language";
import type { RenderedNotice } from "~/notify/templates/layout";

export const CustomerVariables = z.object(
  {
    name: z.string({ required_error: "notify:needs.customerName" }).trim().min(1, "notify:needs.customerName"),
    displayId: z.string({ required_error: "notify:needs.customerDisplayId" }).min(1, "notify:needs.customerDisplayId"),
  },
  { required_error: "notify:needs.customer" },
);

/** A date variable (a Date or an ISO string); missing or unparseable is reported as `what`. */
export function dateVariable(what: string) {
  return z.coerce.date({ errorMap: () => ({ message: what }) });
}

export interface TemplateDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  key: string;
  label: string;
  description: string;
  /** Validates the variables; a missing one is refused here, at preview, before anything is queued. */
  schema: S;
  /** Carries a secret (a reset link): bodies are blanked once the message is settled, previews use a sample. */
  containsSecret: boolean;
  /** Staff may send it from the compose screen. The reset mail is only sent by the recovery flow, with a real token. */
  composable: boolean;
  /** Higher is delivered first. */
  priority: number;
  render(language: Language, variables: z.infer<S>): RenderedNotice;
}

export function defineTemplate<S extends z.ZodTypeAny>(definition: TemplateDefinition<S>): TemplateDefinition<S> {
  return definition;
}
