// Birth dates and years as callers say them: Gregorian or era years, with or without month and day, a century
// dropped, day before month, a date read out with pauses.
// A Japanese era name and its first Gregorian year: 昭和60年 → 1985. Initials (S60, H2, R1) are common in forms.
const ERAS: Record<string, number> = { 明治: 1868, 大正: 1912, 昭和: 1926, 平成: 1989, 令和: 2019 };
const ERA_INITIALS: Record<string, string> = { M: "明治", T: "大正", S: "昭和", H: "平成", R: "令和" };
// An era's first kanji, as forms and ID cards abbreviate it: 昭60.3.12, 平2, 令1年. Read only before digits (or 元年):
// 大元 and 平元 are family names.
const ERA_KANJI: Record<string, string> = { 明: "明治", 大: "大正", 昭: "昭和", 平: "平成", 令: "令和" };
// The last year of each era that has ended: 平成35年 or S65 is no year, not 2023 or 1990 (令和 runs to this year).
const ERA_LAST_YEAR: Record<string, number> = { 明治: 45, 大正: 15, 昭和: 64, 平成: 31 };
// The month without the day ("昭和60年3月", "S60.3"): the month of that year. An initial may have a dot or hyphen
// after it, as forms abbreviate it ("S.60", "H-2").
const ERA_DATE =
  /^(明治|大正|昭和|平成|令和|[MTSHR明大昭平令])(?:(?<=[MTSHR])[.-])?(元|\d{1,2})(?:年|[-/.])?(?:(\d{1,2})(?:月|[-/.]|$)(?:(\d{1,2})日?)?)?生?$/i;
const DATE = /^((?:19|20)\d{2})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))生?$/;
const YEAR = /^((?:19|20)\d{2})年(?:生まれ|生)?$/;
// A year and the month ("1985年3月", "1985/03"): the month of that year (ADR 086).
const YEAR_MONTH = /^((?:19|20)\d{2})(?:年(\d{1,2})月|[-/.](\d{1,2}))(?:生まれ|生)?$/;
// A birth month or a birthday without its year ("3月生まれ", "3月15日"): narrows a name's namesakes (ADR 086).
const MONTH_DAY = /^(\d{1,2})月(?:(\d{1,2})日?)?(?:生まれ|生)?$/;
// A two-digit year with 年 ("65年3月26日", "05年生まれ"): callers drop the century. Only with 年, so that "65/3/26" or
// a bare "65" is never read as a year.
const SHORT_YEAR_DATE = /^(\d{2})年(?:(\d{1,2})月(?:(\d{1,2})日?)?)?(?:生まれ|生)?$/;
// Day and month before the year, as on foreign documents: "02/01/1990" is 2 January or 1 February — both are read.
export const DAY_MONTH_YEAR = /^(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})$/;

/** Written as an era date ("平成35年", "S65", "S60.2.30"), whether or not it is one: named back when it is not. */
export function looksLikeEraDate(token: string): boolean {
  const era = ERA_DATE.exec(token);
  return era !== null && !abbreviatedEraName(era[1]!, era[2]!, token);
}

/** "大元", "平元": a one-kanji era with 元 but without 年 is a family name, never 大正元年. */
function abbreviatedEraName(era: string, number: string, token: string): boolean {
  return era in ERA_KANJI && number === "元" && !token.includes("年");
}

// "3/12" said without the year: a birthday, month first as Japanese forms write it; "25/3" (no 25th month) day first.
const SLASHED_MONTH_DAY = /^(\d{1,2})\/(\d{1,2})$/;

/** "3/12" → 12 March, "25/3" → 25 March; null when neither order is a birthday (29 February is one). */
export function slashedMonthDay(token: string): MonthDay | null {
  const said = SLASHED_MONTH_DAY.exec(token);
  if (!said) return null;
  const [first, second] = [Number(said[1]), Number(said[2])];
  if (isoDate(2000, first, second)) return { month: first, day: second };
  if (isoDate(2000, second, first)) return { month: second, day: first };
  return null;
}

/** A real calendar date (no 31 February), ISO, or null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return probe.toISOString().slice(0, 10);
}

/** The year, and the full date or else the month when the caller said one. */
type Birth = { year: number; date: string | null; month?: number };

/** A month said with its year ("1985年3月", "S60.3"), when it is a month. */
function withMonth(year: number, month: string | undefined): Birth | null {
  if (month === undefined) return { year, date: null };
  const number = Number(month);
  return number >= 1 && number <= 12 ? { year, date: null, month: number } : null;
}

/** `1985-04-01`, `1985/4/1`, `1985年4月1日`, `19850401`, `昭和60年4月1日`, `S60.4.1`, `1985年`, `昭和60年`, `H元年`. */
export function parseBirthToken(token: string): Birth | null {
  const era = ERA_DATE.exec(token);
  if (era && !abbreviatedEraName(era[1]!, era[2]!, token)) {
    const eraName = ERA_INITIALS[era[1]!.toUpperCase()] ?? ERA_KANJI[era[1]!] ?? era[1]!;
    const first = ERAS[eraName];
    if (first === undefined) return null;
    const number = era[2] === "元" ? 1 : Number(era[2]);
    const year = first + number - 1;
    if (number < 1 || number > (ERA_LAST_YEAR[eraName] ?? Infinity) || year > new Date().getUTCFullYear()) return null;
    if (era[3] === undefined || era[4] === undefined) return withMonth(year, era[3]);
    const date = isoDate(year, Number(era[3]), Number(era[4]));
    return date ? { year, date } : null;
  }
  const date = DATE.exec(token);
  if (date) {
    const year = Number(date[1]);
    const iso = isoDate(year, Number(date[2] ?? date[4]), Number(date[3] ?? date[5]));
    return iso ? { year, date: iso } : null;
  }
  const year = YEAR.exec(token) ?? YEAR_MONTH.exec(token);
  if (year) return withMonth(Number(year[1]), year[2] ?? year[3]);
  const short = SHORT_YEAR_DATE.exec(token);
  if (short) {
    const full = fullYear(Number(short[1]));
    if (short[2] === undefined || short[3] === undefined) return withMonth(full, short[2]);
    const iso = isoDate(full, Number(short[2]), Number(short[3]));
    return iso ? { year: full, date: iso } : null;
  }
  return null;
}

export type MonthDay = { month: number; day: number | null };

/** "3月", "3月生まれ", "5月12日", "5月12日生まれ": the month and, when said, the day (29 February is a birthday). */
export function parseMonthDay(token: string): MonthDay | null {
  const said = MONTH_DAY.exec(token);
  if (!said) return null;
  const month = Number(said[1]);
  const day = said[2] === undefined ? null : Number(said[2]);
  if (month < 1 || month > 12) return null;
  if (day !== null && isoDate(2000, month, day) === null) return null;
  return { month, day };
}

// A date with a two-digit year and slashes, either way round: "3/12/85" and "12/3/85" (month and day in either order,
// as Western forms write them) or "85/3/12" (the year first, as Japanese forms do). Only with slashes: "3.15.85" reads
// as a version or an address as often as a date (ADR 086).
const SLASHED_SHORT_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{1,2})$/;

/**
 * Every calendar date "3/12/85" can be (12 March and 3 December 1985; "85/3/12" only 12 March): a caller's birth date
 * is one of them, and the name beside it tells which. Empty when the token is no such date.
 */
export function slashedShortYearDates(token: string): string[] {
  const said = SLASHED_SHORT_YEAR.exec(token);
  if (!said) return [];
  const [first, second, third] = [said[1]!, said[2]!, said[3]!];
  const dates = new Set<string | null>();
  if (third.length === 2) {
    const year = fullYear(Number(third));
    dates.add(isoDate(year, Number(first), Number(second)));
    dates.add(isoDate(year, Number(second), Number(first)));
  }
  if (first.length === 2) dates.add(isoDate(fullYear(Number(first)), Number(second), Number(third)));
  dates.delete(null);
  return [...dates] as string[];
}

// "850312": a birth date as six digits, year, month and day, as forms and some ID cards print it. Not with a leading 0:
// "050312" or "090123" starts a phone number as often (a landline's area code, 050, 070, 080, 090), and a six-digit
// group next to another is a phone number first (takePhone reads it before any token is read alone). Six digits are
// no last four, display ID or postcode, so no other reading is lost (ADR 119).
const COMPACT_SHORT_YEAR_DATE = /^([1-9]\d)(\d{2})(\d{2})$/;

/** "850312" → 1985-03-12; null for a leading 0 or a date no calendar has. */
export function compactShortYearDate(token: string): string | null {
  const said = COMPACT_SHORT_YEAR_DATE.exec(token);
  if (!said) return null;
  return isoDate(fullYear(Number(said[1])), Number(said[2]), Number(said[3]));
}

/** "65" → 1965, "05" → 2005: a year not later than this one. */
function fullYear(twoDigits: number): number {
  const thisYear = new Date().getUTCFullYear();
  const inThisCentury = thisYear - (thisYear % 100) + twoDigits;
  return inThisCentury <= thisYear ? inThisCentury : inThisCentury - 100;
}

/**
 * "1985年 4月 1日", "1985 年 4 月 1 日", "昭和 60 年": a date read out with pauses is one token again. Only digits
 * followed by 年, 月 or 日, or after an era name, are joined, so a last four after a year ("1985年 5678") stays apart.
 */
export function joinSpacedDates(query: string): string {
  return (
    query
      .replace(/(?<!\d)((?:19|20)\d{2}) (\d{1,2}) (\d{1,2})(?!\d)/g, (said, year: string, month: string, day: string) =>
        // "1985 3 15": a date read out as three numbers, when it is one (a year and a last four are two numbers).
        isoDate(Number(year), Number(month), Number(day)) ? `${year}-${month}-${day}` : said,
      )
      // "S60 3 12": an era initial's date read out as three numbers, when it is one.
      .replace(
        /(?<![A-Za-z0-9])([MTSHR])(\d{1,2}) (\d{1,2}) (\d{1,2})(?!\d)/gi,
        (said, era: string, ...parts: string[]) => {
          const written = `${era}${parts.slice(0, 3).join(".")}`;
          return parseBirthToken(written)?.date ? written : said;
        },
      )
      // "昭和 60 年", "平成 2年": an era name said apart from its year is still that era's year, not a name and a
      // two-digit year of the last century.
      .replace(/(明治|大正|昭和|平成|令和)\s+(?=(?:\d{1,2}|元)(?!\d))/g, "$1")
      .replace(/(\d)\s+(?=[年月日])/g, "$1")
      .replace(/年\s+(?=\d{1,2}月)/g, "年")
      .replace(/月\s+(?=\d{1,2}日)/g, "月")
  );
}

// "S600312", "h010312": an era's initial and its date as six digits, as forms and agents' notes compact it. Read as
// "S60.03.12" only when that is a date of the era; else (and inside an address or an identifier) left as typed, the
// part of an email before the @ it also may be (ADR 121).
const COMPACT_ERA_DATE = /(?<![\w.%+@-])([MTSHR])(\d{2})(\d{2})(\d{2})(?![\w.%+@-])/gi;

/** The query with each compact era date written with dots. */
export function writeCompactEraDates(query: string): string {
  return query.replace(COMPACT_ERA_DATE, (said, era: string, year: string, month: string, day: string) => {
    const written = `${era}${year}.${month}.${day}`;
    return parseBirthToken(written)?.date ? written : said;
  });
}
