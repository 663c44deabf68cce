// A stored language code ("ja", "en": a customer's or a notice's language) by its name in the reader's language
// ("英語" on a Japanese page, "Japanese" on an English one; ADR 113). The switcher alone names each language in itself
// (`language.name`), since it is read by someone who may not read the page's language. A code the console does not
// know is shown as stored.
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";

export function useLanguageName(): (code: string) => string {
  const { t } = useTranslation("common");
  return (code) => (isLanguage(code) ? t(`language.called.${code}`) : code);
}
