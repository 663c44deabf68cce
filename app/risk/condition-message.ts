// A condition's refusal as data (a problem and its values) rather than an English sentence, so that the rules page can
// say it in the lead's language. The English wording lives once, in the risk namespace; ConditionError's own message
// is built from it, so logs and tests read the same sentence the English page shows.
import type enRisk from "~/i18n/locales/en/risk";
import type { FeatureType } from "~/risk/features";

export type ConditionProblem = keyof (typeof enRisk)["condition"]["problem"];
/** What the parser found instead of what it expected. */
export type FoundKind = keyof (typeof enRisk)["condition"]["found"];

/**
 * Values of a problem. Three are words to translate before they are placed: foundKind/foundText (the token found),
 * featureType (a feature's type) and nearest (a feature name to suggest; "" for none).
 */
export type ConditionProblemValues = Record<string, string | number>;

export type ConditionTranslate = (key: string, values?: Record<string, string | number>) => string;

/** The sentence for a problem, through `translate` (keys relative to the risk namespace). */
export function conditionMessage(
  translate: ConditionTranslate,
  problem: ConditionProblem,
  values: ConditionProblemValues,
  column: number | null,
): string {
  const placed: Record<string, string | number> = { ...values };
  if (values.foundKind !== undefined) {
    placed.found = translate(`condition.found.${values.foundKind as FoundKind}`, { text: values.foundText ?? "" });
  }
  if (values.featureType !== undefined) placed.type = translate(`condition.type.${values.featureType as FeatureType}`);
  if (values.eventKind !== undefined) placed.event = translate(`eventKind.${values.eventKind}`);
  if (values.kinds !== undefined) {
    placed.kinds = String(values.kinds)
      .split(", ")
      .map((kind) => translate(`eventKind.${kind}`))
      .join(", ");
  }
  if (values.nearest !== undefined) {
    placed.hint = values.nearest ? translate("condition.didYouMean", { name: values.nearest }) : "";
  }
  const message = translate(`condition.problem.${problem}`, placed);
  return column === null ? message : translate("condition.atColumn", { message, column });
}
