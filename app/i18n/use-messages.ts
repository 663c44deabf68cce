// Form errors as the page shows them: a message that is a key (from a schema, so the browser's early check and the
// server's answer agree) is translated into the page's language; a sentence is shown as it is.
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { translateMessageIn } from "~/i18n/fixed-t";

export function useMessages(messages: readonly string[] | undefined): string[] | undefined {
  const { i18n } = useTranslation();
  if (!messages) return messages;
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return messages.map((message) => translateMessageIn(i18n, language, message));
}
