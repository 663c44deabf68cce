// Numbers read out and typed in kanji: "〇九〇 一二三四 五六七八" (a phone number digit by digit), "昭和六十年三月十五日",
// "一九八五年三月十五日" (a date, positional with 十 or digit by digit), "三十歳". Written as ASCII digits before the
// parser reads the query, so that each is the fact it says. A name with numerals in it (健一, 一郎, 一二三) stays a
// name: a run of digit kanji is converted only when it holds four or more, and other numbers only where they make a
// date or an age. See docs/decisions/081-caller-search-other-forms-and-email-domains.md.

const DIGITS: Readonly<Record<string, string>> = {
  〇: "0",
  零: "0",
  ゼロ: "0",
  一: "1",
  二: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
};
const DIGIT = "(?:ゼロ|[〇零一二三四五六七八九])";
// Digits read one by one, perhaps in groups ("〇九〇－一二三四－五六七八").
const DIGIT_RUN = new RegExp(`${DIGIT}(?:[\\s\\-－ー‐]*${DIGIT})*`, "gu");
/** Fewer digit kanji in a row than this are a name's (一二三 Hifumi), never a number. */
const MIN_RUN_DIGITS = 4;
// Numbers with 十 or read digit by digit, where they make a date or an age: before 年, 歳 or 才, a month after a year,
// a month with its day. Not a month alone: 五月 (Satsuki) and 三日月 are names.
const N = "[〇零一二三四五六七八九十]+";
// In turn, each reading what the one before converted: the year, then the month after it, then the day.
const COUNTED = [
  new RegExp(`${N}(?=年|歳|才)`, "gu"),
  new RegExp(`(?<=\\d年)${N}(?=月)|${N}(?=月${N}日)`, "gu"),
  new RegExp(`(?<=\\d月)${N}(?=日)`, "gu"),
];

/** 六十 → 60, 十五 → 15, 三十一 → 31, 十 → 10; without 十 digit by digit: 一九八五 → 1985. */
function numberOf(kanji: string): string {
  const at = kanji.indexOf("十");
  if (at < 0) return [...kanji].map((c) => DIGITS[c] ?? c).join("");
  const tens = at === 0 ? 1 : Number(DIGITS[kanji.slice(0, at)] ?? NaN);
  const ones = at === kanji.length - 1 ? 0 : Number(DIGITS[kanji.slice(at + 1)] ?? NaN);
  const value = tens * 10 + ones;
  return Number.isFinite(value) ? String(value) : kanji;
}

export function kanjiNumeralsToDigits(query: string): string {
  const digits = query.replace(DIGIT_RUN, (run) => {
    const count = run.match(new RegExp(DIGIT, "gu"))?.length ?? 0;
    return count >= MIN_RUN_DIGITS ? run.replace(new RegExp(DIGIT, "gu"), (c) => DIGITS[c]!) : run;
  });
  return COUNTED.reduce((text, pattern) => text.replace(pattern, (number) => numberOf(number)), digits);
}
