// The template registry and the one way to render a notice: validate the variables with the template's schema, then
// render. A missing or malformed variable is a TemplateVariablesError that names what is missing, so the compose
// screen refuses it at preview and a bulk send skips that customer with the reason instead of sending a broken mail.
import type { z } from "zod";
import { messageWithValues, readMessageKey, sharedI18n, translateMessageIn } from "~/i18n/fixed-t";
import { DomainError } from "~/lib/domain-error";
import type { Language } from "~/notify/language";
import { accountSecured } from "~/notify/templates/account-secured";
import { chargesReversed } from "~/notify/templates/charges-reversed";
import { incidentUpdate } from "~/notify/templates/incident-update";
import type { RenderedNotice } from "~/notify/templates/layout";
import { passwordReset } from "~/notify/templates/password-reset";
import { recoveryCode } from "~/notify/templates/recovery-code";
import { STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";

export const TEMPLATES = {
  "account-secured": accountSecured,
  "charges-reversed": chargesReversed,
  "password-reset": passwordReset,
  "recovery-code": recoveryCode,
  "incident-update": incidentUpdate,
} as const;

export type TemplateKey = keyof typeof TEMPLATES;
export type TemplateVariables<K extends TemplateKey> = z.input<(typeof TEMPLATES)[K]["schema"]>;
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[];

export function isTemplateKey(value: string): value is TemplateKey {
  return Object.hasOwn(TEMPLATES, value);
}

/**
 * Whether a stored message of this template carries a secret (a customer's reset link or recovery code, a staff
 * member's one-time link): its body is blanked once it settles, and it is never resent — a new one is issued instead.
 */
export function carriesSecret(template: string): boolean {
  return template === STAFF_LINK_TEMPLATE || (isTemplateKey(template) && TEMPLATES[template].containsSecret);
}

/** The templates carriesSecret() names, for statements that blank bodies in the database. */
export const SECRET_TEMPLATES: readonly string[] = [STAFF_LINK_TEMPLATE, ...TEMPLATE_KEYS.filter(carriesSecret)];

/** What a notice needs, in English: the error's own message (logs, and the fallback where no language is known). */
export function describeNeeds(missing: readonly string[]): string {
  return missing.map((need) => translateMessageIn(sharedI18n(), "en", need)).join("; ");
}

export class TemplateVariablesError extends DomainError {
  constructor(
    readonly template: TemplateKey,
    /** What the notice needs, as message keys (notify:needs.*), each with its values. */
    readonly missing: string[],
  ) {
    super(
      "TEMPLATE_VARIABLES_MISSING",
      `The "${TEMPLATES[template].label}" notice cannot be written: it needs ${describeNeeds(missing)}.`,
      422,
      {},
      { needs: missing },
    );
    this.name = "TemplateVariablesError";
  }
}

function describeIssues(error: z.ZodError): string[] {
  const described = error.issues.map((issue) => {
    // Our schemas name "what is needed" by a key (notify:needs.*); zod's generic messages get the field path instead.
    if (readMessageKey(issue.message)) return issue.message;
    return messageWithValues("notify:needs.value", { path: issue.path.join(".") || "variables" });
  });
  return [...new Set(described)];
}

export function renderNotice<K extends TemplateKey>(
  template: K,
  language: Language,
  variables: TemplateVariables<K> | Record<string, unknown>,
): RenderedNotice {
  const definition = TEMPLATES[template];
  const parsed = definition.schema.safeParse(variables);
  if (!parsed.success) throw new TemplateVariablesError(template, describeIssues(parsed.error));
  // The definition's render is typed by its own schema; the registry lookup loses that link, the parse restores it.
  return (definition.render as (language: Language, v: unknown) => RenderedNotice)(language, parsed.data);
}
