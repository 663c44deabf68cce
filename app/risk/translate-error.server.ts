// Risk refusals in the lead's language: a condition's problem is worded from its values (see condition-message.ts);
// every other DomainError goes through the shared errors namespace.
import type { Language } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import type { DomainError } from "~/lib/domain-error";
import { conditionMessage, type ConditionProblem, type ConditionProblemValues } from "~/risk/condition-message";

export function translateRiskError(language: Language | undefined, error: DomainError): string {
  const { problem, column, ...values } = error.params;
  if (error.code !== "RULE_CONDITION_INVALID" || typeof problem !== "string") {
    return translateDomainError(language, error);
  }
  const t = translatorFor(language, "risk");
  return conditionMessage(
    (key, params) => String(t(key as never, params)),
    problem as ConditionProblem,
    values as ConditionProblemValues,
    typeof column === "number" ? column : null,
  );
}
