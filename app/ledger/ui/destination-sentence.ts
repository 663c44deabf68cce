// Where a reversal's money goes, in the reader's language. The service builds the English sentence the audit trail
// keeps; the pages rebuild it from its words (which sentence, the store or funding source, the amount), so a Japanese
// agent confirms a Japanese sentence. The English keys say exactly what the service's sentence says.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { isLanguage, type Language } from "~/i18n/config";
import { formatYen } from "~/lib/format";
import type { DestinationWords } from "~/ledger/reversal-destination";

export function destinationSentence(
  t: TFunction<"reversals">,
  language: Language | undefined,
  words: DestinationWords,
): string {
  const money = formatYen(words.amount, language);
  if (words.kind === "purchase")
    return t("destination.purchase", { money, store: words.store ?? t("destination.theStore") });
  return t(`destination.${words.kind}`, { money, source: words.source ?? t("destination.theSource") });
}

export function useDestinationSentence(): (words: DestinationWords) => string {
  const { t, i18n } = useTranslation("reversals");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (words) => destinationSentence(t, language, words);
}
