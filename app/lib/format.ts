// Display helpers shared by server and browser, one formatter per language. Times are stored in UTC and always shown
// in JST; numbers and yen through Intl.
import { DEFAULT_LANGUAGE, type Language } from "~/i18n/config";

const LOCALE: Record<Language, string> = { ja: "ja-JP", en: "en-GB" };

function cached<T>(build: (language: Language) => T): (language: Language) => T {
  const made = new Map<Language, T>();
  return (language) => {
    let value = made.get(language);
    if (!value) made.set(language, (value = build(language)));
    return value;
  };
}

const dateTimeFormat = cached(
  (language) =>
    new Intl.DateTimeFormat(LOCALE[language], {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      // Japanese: 2026/12/04; English: 04 Dec 2026 (a numeric day/month order misleads one reader or the other).
      month: language === "ja" ? "2-digit" : "short",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }),
);

const dateFormat = cached(
  (language) =>
    new Intl.DateTimeFormat(LOCALE[language], {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }),
);

const integerFormat = cached((language) => new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 0 }));
const numberFormat = cached((language) => new Intl.NumberFormat(LOCALE[language]));

/** "2026/12/04 15:30:00 JST" (ja), "04 Dec 2026, 15:30:00 JST" (en); "—" for no value. */
export function formatJst(value: Date | string | null | undefined, language: Language = DEFAULT_LANGUAGE): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return `${dateTimeFormat(language).format(date)} JST`;
}

/** The JST calendar date alone: "2026/12/04". */
export function formatJstDate(value: Date | string | null | undefined, language: Language = DEFAULT_LANGUAGE): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : dateFormat(language).format(date);
}

const calendarDateFormat = cached(
  (language) =>
    new Intl.DateTimeFormat(LOCALE[language], {
      timeZone: "UTC",
      year: "numeric",
      month: language === "ja" ? "2-digit" : "short",
      day: "2-digit",
    }),
);

/**
 * A calendar date that belongs to no time zone (a birthday, stored as "1967-01-21"): "1967/01/21" (ja), "21 Jan 1967"
 * (en). Not shifted into JST: it is the same day everywhere. Anything that is not such a date is shown as it is.
 */
export function formatCalendarDate(value: string, language: Language = DEFAULT_LANGUAGE): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : calendarDateFormat(language).format(date);
}

// "¥12,000" with the ASCII-range yen sign (U+00A5) in both languages: Intl's ja-JP currency format uses the full-width
// "￥", which many fonts (and headless browsers) lack. Digits are grouped by the language's Intl number format.
export function formatYen(amount: number | bigint, language: Language = DEFAULT_LANGUAGE): string {
  const negative = typeof amount === "bigint" ? amount < 0n : amount < 0;
  const absolute = typeof amount === "bigint" ? (negative ? -amount : amount) : Math.abs(amount);
  return `${negative ? "-" : ""}¥${integerFormat(language).format(absolute)}`;
}

export function formatCount(value: number | bigint, language: Language = DEFAULT_LANGUAGE): string {
  return numberFormat(language).format(value);
}
