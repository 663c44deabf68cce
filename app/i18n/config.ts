// The i18next settings shared by the server (one instance per request) and the browser (hydration). The resources are
// bundled into both, never fetched: the CSP allows no extra requests and the first paint must already be translated.
import type { InitOptions } from "i18next";
import { NAMESPACES, resources } from "~/i18n/resources";

export const SUPPORTED_LANGUAGES = ["ja", "en"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
// The staff are a Japanese wallet's support and security teams: Japanese unless a member chooses otherwise.
export const DEFAULT_LANGUAGE: Language = "ja";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

export const i18nConfig = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  ns: [...NAMESPACES],
  resources,
  // React escapes what it renders; escaping here too would show "&amp;" in the page.
  interpolation: { escapeValue: false },
  // Resources are in memory, so init completes synchronously and the first render is already translated.
  initImmediate: false,
  returnNull: false,
} satisfies InitOptions;
