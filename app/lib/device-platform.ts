// A device's platform as the wallet stores it (ios, android), named in the reader's language (ADR 111). Read straight
// from the locale modules, so loaders building text and components alike can use it.
import { DEFAULT_LANGUAGE, type Language } from "~/i18n/config";
import enCommon from "~/i18n/locales/en/common";
import jaCommon from "~/i18n/locales/ja/common";

const COMMON = { en: enCommon, ja: jaCommon } as const;

/** A device's platform as stored (ios, android) named for `language`; any other value as stored (a platform
 * this release does not know is still shown, never hidden). */
export function platformName(stored: string, language: Language | undefined): string {
  const names: Record<string, string> = COMMON[language ?? DEFAULT_LANGUAGE].platform;
  const key = stored.toLowerCase();
  return Object.hasOwn(names, key) ? names[key]! : stored;
}
