// The language the page renders in, for app/lib/format.ts (numbers, yen and JST dates follow the page's words).
import { useTranslation } from "react-i18next";
import { isLanguage, type Language } from "~/i18n/config";

export function usePageLanguage(): Language | undefined {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : undefined;
}
