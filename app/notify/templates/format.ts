// Dates and money as a customer reads them: always Japan time, in the notice's language.
import type { Language } from "~/notify/language";

// The month spelled out, as in a letter: a customer reads one date, not a table of them.
function letterDateTime(locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    timeZone: "Asia/Tokyo",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
}

const DATE_TIME: Record<Language, Intl.DateTimeFormat> = { ja: letterDateTime("ja-JP"), en: letterDateTime("en-GB") };

export function formatDateTime(language: Language, value: Date): string {
  const text = DATE_TIME[language].format(value);
  return language === "ja" ? `${text}（日本時間）` : `${text} (Japan time)`;
}

const YEN_JA = new Intl.NumberFormat("ja-JP");
const YEN_EN = new Intl.NumberFormat("en-US", { style: "currency", currency: "JPY" });

export function formatAmount(language: Language, yen: number): string {
  return language === "ja" ? `${YEN_JA.format(yen)}円` : YEN_EN.format(yen);
}
