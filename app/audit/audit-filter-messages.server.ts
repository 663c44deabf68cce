// The audit filter's problems (message keys with their values, from audit-filter.ts) in the reader's language, the
// field they are about named by the label the filter form shows.
import type { ProblemField } from "~/audit/audit-filter";
import type { Language } from "~/i18n/config";
import { readMessageKey } from "~/i18n/fixed-t";
import { translateMessage } from "~/i18n/translate.server";

const FIELD_LABEL: Record<ProblemField, string> = {
  from: "audit:filter.from",
  to: "audit:filter.to",
  actor: "audit:filter.actor",
  role: "audit:filter.role",
  action: "audit:filter.action",
  targetType: "audit:filter.targetType",
  targetId: "audit:filter.targetId",
  outcome: "audit:filter.outcome",
  incident: "audit:filter.incident",
  q: "audit:filter.reason",
  before: "audit:filterField.before",
  after: "audit:filterField.after",
  through: "audit:filterField.through",
};

export function translateAuditFilterProblem(language: Language | undefined, message: string): string {
  const field = readMessageKey(message)?.values.field;
  const labelKey =
    typeof field === "string" && Object.hasOwn(FIELD_LABEL, field) ? FIELD_LABEL[field as ProblemField] : null;
  return translateMessage(language, message, labelKey ? { label: translateMessage(language, labelKey) } : {});
}
