// The languages a notice can be written in. Japanese is the default: it is what most of the wallet's customers read,
// and what a customer whose preference is unknown or unsupported gets.
export const LANGUAGES = ["ja", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export function languageOf(preferred: string | null | undefined): Language {
  return preferred === "en" ? "en" : "ja";
}
