// Digits said in kana: "ゼロキュウゼロ イチニサンヨン ゴロクナナハチ", "イチニーサンヨン", as an agent types a number
// the caller reads out without converting it (or in half-width kana mode). Written as ASCII digits before the parser
// reads the query, as kanji numerals are (search-kanji-numerals.ts). A word is read only when the whole of it is digit
// words, and the run (words between spaces, hyphens or の) only when it holds four digits or more: ナナ, レイ, イチゴ
// and ニシ ナナ are names, and サトウイチロウ goes on past its digits (ADR 119). A birth date said as three pairs
// ("ハチゴー ゼロサン イチニ": 85, 03, 12) is written as its six digits, which the parser reads as a date (ADR 121).
import { compactShortYearDate } from "~/accounts/search-birth";

// Each digit as it is read, longest first, in katakana; hiragana is folded to katakana before the words are read.
// 2 and 5 are lengthened in a phone number (ニー, ゴー); 0 is also マル or レイ, 4 ヨン, 7 ナナ or シチ, 9 キュウ or ク.
const DIGIT_WORDS: readonly (readonly [string, string])[] = [
  ["ゼロ", "0"],
  ["マル", "0"],
  ["レイ", "0"],
  ["イチ", "1"],
  ["ニー", "2"],
  ["ニ", "2"],
  ["サン", "3"],
  ["ヨン", "4"],
  ["シ", "4"],
  ["ゴー", "5"],
  ["ゴ", "5"],
  ["ロク", "6"],
  ["ナナ", "7"],
  ["シチ", "7"],
  ["ハチ", "8"],
  ["キュウ", "9"],
  ["キュー", "9"],
  ["ク", "9"],
];
const DIGIT_WORD = `(?:${DIGIT_WORDS.map(([word]) => word).join("|")})`;
// Kana that would make a digit word part of a longer word; の between two groups does not.
const KANA = "(?:(?!の)[\\p{Script=Katakana}\\p{Script=Hiragana}ー])";
// One word of digit words only, not inside a longer kana word (what stands before the first is checked on the text as
// typed: see startsWord).
const WORD = `(?<!${KANA})${DIGIT_WORD}+(?!${KANA})`;
const SEPARATOR = "(?:\\s*[-－‐]\\s*|\\s+|の)";
const RUN = new RegExp(`${DIGIT_WORD}+(?!${KANA})(?:${SEPARATOR}${WORD})*`, "gu");
// "下四桁はイチニサンヨン": a particle in hiragana before digits said in katakana still ends the word before them.
const PARTICLE = /[はがもの]/u;
const KATAKANA = /\p{Script=Katakana}/u;
const KANA_LETTER = /[\p{Script=Katakana}\p{Script=Hiragana}ー]/u;
const ONE_DIGIT = new RegExp(DIGIT_WORD, "gu");
const MIN_RUN_DIGITS = 4;
// Hiragana but の, which stays the particle between a phone number's groups.
const HIRAGANA = /(?!の)[\u3041-\u3096]/gu;

/** ぜろ → ゼロ: hiragana in the katakana block (one code unit each, so offsets hold), one list of words reads both. */
function toKatakana(text: string): string {
  return text.replace(HIRAGANA, (c) => String.fromCodePoint(c.codePointAt(0)! + 0x60));
}

/** Whether the digit words at `at` start a word of the query as typed, rather than end a longer kana word. */
function startsWord(query: string, at: number): boolean {
  const before = query[at - 1];
  if (before === undefined || !KANA_LETTER.test(before)) return true;
  return PARTICLE.test(before) && KATAKANA.test(query[at]!);
}

const SEPARATORS = new RegExp(`(${SEPARATOR})`, "u");

/** A word of digit words in digits: "イチニサンヨン" → "1234". */
function digitsOf(word: string): string {
  return word.replace(ONE_DIGIT, (said) => DIGIT_WORDS.find(([written]) => written === said)![1]);
}

/**
 * Which words of a run are a number's: every word when each says one digit (read one by one), else the words that
 * say a group — three digits or more, or two from 0 (ゼロサン, an area code) — so that a name of digit words beside
 * them (ニシ, ナナ, レイ) is left alone. True at the index of each word to write in digits.
 */
function numberWords(digits: string[]): boolean[] {
  if (digits.every((word) => word.length === 1)) return digits.map(() => true);
  return digits.map((word) => word.length >= 3 || (word.length === 2 && word.startsWith("0")));
}

/** The run with its number's words in digits, each group of them holding four digits or more; the rest as typed. */
function writeRun(typed: string, folded: string): string {
  const parts = folded.split(SEPARATORS);
  const typedParts = typed.split(SEPARATORS);
  const words = parts.filter((_, i) => i % 2 === 0).map(digitsOf);
  // Three pairs that make a date ("850312"): the date's six digits, as the caller would have typed them.
  if (words.length === 3 && words.every((word) => word.length === 2) && compactShortYearDate(words.join("")))
    return words.join("");
  const inNumber = numberWords(words);
  const out = [...typedParts];
  for (let first = 0; first < words.length;) {
    let last = first;
    while (inNumber[first] && last + 1 < words.length && inNumber[last + 1]) last += 1;
    const count = words.slice(first, last + 1).join("").length;
    if (inNumber[first] && count >= MIN_RUN_DIGITS) {
      for (let word = first; word <= last; word++) out[word * 2] = words[word]!;
    }
    first = last + 1;
  }
  return out.join("");
}

/** The query with every group of four digits or more said in kana written in digits; the separators are kept. */
export function kanaDigitsToNumbers(query: string): string {
  const folded = toKatakana(query);
  let out = "";
  let from = 0;
  for (const match of folded.matchAll(RUN)) {
    if (!startsWord(query, match.index)) continue;
    const end = match.index + match[0].length;
    out += query.slice(from, match.index) + writeRun(query.slice(match.index, end), match[0]);
    from = end;
  }
  return out + query.slice(from);
}
