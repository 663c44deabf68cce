// A stored language code ("ja", "en": a customer's or a notice's language) by its name, as the language switcher
// names it ("日本語", "English"); a code the console does not know is shown as stored.
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";

export function useLanguageName(): (code: string) => string {
  const { t } = useTranslation("common");
  return (code) => (isLanguage(code) ? t(`language.name.${code}`) : code);
}
