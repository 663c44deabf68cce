// Other ways of reading a name that matches nobody as typed. Callers and agents say the same name in forms the stored
// keys do not fold: given name first ("翔太 佐藤"), romaji ("Sato Shota", "SHOTA SATO"), an old-form kanji
// ("髙橋", "渡邊", "齋藤" — stored 高橋, 渡辺, 斎藤 or 斉藤) or the modern form of a name registered in an old one, or a
// prefecture without its suffix after the name ("佐藤 翔太 大阪"). Each alternative is a name string; the search looks
// up which of them some customer holds and searches those (search-alternatives.server.ts), so the list is in order of
// preference and bounded. See docs/decisions/078-caller-search-spoken-forms.md and 081.
import { PREFECTURES } from "~/accounts/prefectures";
import { toSearchKey } from "~/accounts/search-key";

/** At most this many alternatives are looked up: each is a handful of index probes. */
export const MAX_NAME_ALTERNATIVES = 64;
/** Long-vowel spellings tried per romaji name part ("sato": サト, サトウ, サトオ, …), fewest changes first. */
const MAX_SPELLINGS_PER_PART = 16;
/** Names of more parts than this are not split into pairs (six pairs at most). */
const MAX_PARTS = 6;
/** Old-form spellings tried per name. */
const MAX_KANJI_FORMS = 16;

// Old and variant forms as people write their own names, and the forms the customer table may hold instead. 斎 and 斉
// are different characters for the same サイトウ; a caller's 齋藤 may be stored as either.
const KANJI_FORMS: Readonly<Record<string, readonly string[]>> = {
  髙: ["高"],
  﨑: ["崎"],
  嵜: ["崎"],
  碕: ["崎"],
  邊: ["辺"],
  邉: ["辺"],
  齋: ["斎", "斉"],
  齊: ["斉", "斎"],
  斎: ["斉"],
  斉: ["斎"],
  澤: ["沢"],
  濱: ["浜"],
  嶋: ["島"],
  嶌: ["島"],
  廣: ["広"],
  櫻: ["桜"],
  國: ["国"],
  德: ["徳"],
  惠: ["恵"],
  實: ["実"],
  眞: ["真"],
  藏: ["蔵"],
  黑: ["黒"],
  瀨: ["瀬"],
  冨: ["富"],
  桒: ["桑"],
  槗: ["橋"],
  栁: ["柳"],
  舘: ["館"],
};

// Kanji an input method offers beside the right one and agents pick by mistake: 籐 (rattan) for 藤 in 佐藤, 伊藤, 加藤.
// One way only: a name typed with 藤 is never tried with 籐, which no customer's name holds.
const MISCONVERTED: Readonly<Record<string, readonly string[]>> = { 籐: ["藤"] };

// The other way round: a caller says the modern form (高橋) of a name the customer registered in its old form (髙橋).
// As alternatives, tried when the modern form matches nobody, or nobody with the caller's other facts (ADR 081); a
// modern name alone that others hold lists its old forms' holders after its own (kanjiVariants, ADR 086).
const OLD_FORMS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const [old, modern] of Object.entries(KANJI_FORMS)) {
    for (const form of modern) {
      if (KANJI_FORMS[form]?.includes(old)) continue; // 斎 and 斉: already each other's form
      (out[form] ??= []).push(old);
    }
  }
  return out;
})();

/** 横浜市, 新宿区: a city or ward said after the name, as a prefecture is (tried without it, like a bare prefecture). */
export const CITY = /^\p{Script=Han}{1,4}[市区]$/u;

/** 東京, 大阪, 神奈川: a prefecture said without 都, 府 or 県. Alone these are often family names (千葉, 石川). */
export const BARE_PREFECTURES: ReadonlySet<string> = new Set(
  [...PREFECTURES].filter((name) => name !== "北海道").map((name) => name.slice(0, -1)),
);

// Romaji syllables (Hepburn, Nihon-shiki and the usual mixtures), longest first when read.
const SYLLABLES: Readonly<Record<string, string>> = {
  a: "ア",
  i: "イ",
  u: "ウ",
  e: "エ",
  o: "オ",
  ka: "カ",
  ki: "キ",
  ku: "ク",
  ke: "ケ",
  ko: "コ",
  kya: "キャ",
  kyu: "キュ",
  kyo: "キョ",
  ga: "ガ",
  gi: "ギ",
  gu: "グ",
  ge: "ゲ",
  go: "ゴ",
  gya: "ギャ",
  gyu: "ギュ",
  gyo: "ギョ",
  sa: "サ",
  shi: "シ",
  si: "シ",
  su: "ス",
  se: "セ",
  so: "ソ",
  sha: "シャ",
  shu: "シュ",
  sho: "ショ",
  she: "シェ",
  sya: "シャ",
  syu: "シュ",
  syo: "ショ",
  za: "ザ",
  ji: "ジ",
  zi: "ジ",
  zu: "ズ",
  ze: "ゼ",
  zo: "ゾ",
  ja: "ジャ",
  ju: "ジュ",
  jo: "ジョ",
  je: "ジェ",
  jya: "ジャ",
  jyu: "ジュ",
  jyo: "ジョ",
  zya: "ジャ",
  zyu: "ジュ",
  zyo: "ジョ",
  ta: "タ",
  chi: "チ",
  ti: "チ",
  tsu: "ツ",
  tu: "ツ",
  te: "テ",
  to: "ト",
  cha: "チャ",
  chu: "チュ",
  cho: "チョ",
  che: "チェ",
  tya: "チャ",
  tyu: "チュ",
  tyo: "チョ",
  da: "ダ",
  di: "ヂ",
  du: "ヅ",
  de: "デ",
  do: "ド",
  na: "ナ",
  ni: "ニ",
  nu: "ヌ",
  ne: "ネ",
  no: "ノ",
  nya: "ニャ",
  nyu: "ニュ",
  nyo: "ニョ",
  ha: "ハ",
  hi: "ヒ",
  fu: "フ",
  hu: "フ",
  he: "ヘ",
  ho: "ホ",
  hya: "ヒャ",
  hyu: "ヒュ",
  hyo: "ヒョ",
  fa: "ファ",
  fi: "フィ",
  fe: "フェ",
  fo: "フォ",
  ba: "バ",
  bi: "ビ",
  bu: "ブ",
  be: "ベ",
  bo: "ボ",
  bya: "ビャ",
  byu: "ビュ",
  byo: "ビョ",
  pa: "パ",
  pi: "ピ",
  pu: "プ",
  pe: "ペ",
  po: "ポ",
  pya: "ピャ",
  pyu: "ピュ",
  pyo: "ピョ",
  ma: "マ",
  mi: "ミ",
  mu: "ム",
  me: "メ",
  mo: "モ",
  mya: "ミャ",
  myu: "ミュ",
  myo: "ミョ",
  ya: "ヤ",
  yu: "ユ",
  yo: "ヨ",
  ra: "ラ",
  ri: "リ",
  ru: "ル",
  re: "レ",
  ro: "ロ",
  rya: "リャ",
  ryu: "リュ",
  ryo: "リョ",
  wa: "ワ",
  wo: "ヲ",
  va: "ヴァ",
  vi: "ヴィ",
  vu: "ヴ",
  ve: "ヴェ",
  vo: "ヴォ",
};
const VOWELS = "aeiou";
const MACRONS: Readonly<Record<string, string>> = { ā: "aa", ī: "ii", ū: "uu", ē: "ee", ō: "ou", ô: "ou", û: "uu" };
// Kana whose vowel is o or u: the place where romaji drops a long vowel (佐藤 Sato = サトウ, 優子 Yuko = ユウコ).
const O_ENDING = /[オコソトノホモヨロゴゾドボポョォヲ]$/u;
const U_ENDING = /[ウクスツヌフムユルグズヅブプュゥ]$/u;
const LONG = "ー";

/** One romaji word as kana syllables, with "oh" (Satoh, Ohno) marked as a long vowel; null when it is not romaji. */
function romajiSyllables(word: string): string[] | null {
  const text = word.toLowerCase().replace(/[āīūēōôû]/g, (c) => MACRONS[c]!);
  if (!/^[a-z']+$/.test(text)) return null;
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    const next = text[at + 1];
    if (c === "'") {
      at += 1;
      continue;
    }
    if (c === "h" && out.length > 0 && O_ENDING.test(out.at(-1)!) && (next === undefined || !VOWELS.includes(next))) {
      out.push(LONG);
      at += 1;
      continue;
    }
    if (c === "n" && (next === undefined || next === "'" || (!VOWELS.includes(next) && next !== "y"))) {
      out.push("ン");
      at += 1;
      continue;
    }
    if (c === "m" && (next === "b" || next === "p" || next === "m")) {
      out.push("ン");
      at += 1;
      continue;
    }
    if (!VOWELS.includes(c) && (c === next || (c === "t" && next === "c"))) {
      out.push("ッ");
      at += 1;
      continue;
    }
    const syllable = [3, 2, 1].map((n) => text.slice(at, at + n)).find((s) => SYLLABLES[s] !== undefined);
    if (!syllable) return null;
    out.push(SYLLABLES[syllable]!);
    at += syllable.length;
  }
  return out.length > 0 ? out : null;
}

/** Every choice of one option per place, least departure from the first options first, at most `limit`. */
function combinations(places: readonly (readonly string[])[], limit: number): string[] {
  const results: { text: string; changes: number }[] = [];
  const walk = (index: number, text: string, changes: number) => {
    if (results.length >= limit * 8) return;
    if (index === places.length) {
      results.push({ text, changes });
      return;
    }
    // A later option departs further (オウ is the usual long o, オオ the rarer): it counts for more.
    places[index]!.forEach((option, i) => walk(index + 1, text + option, changes + i));
  };
  walk(0, "", 0);
  return results
    .sort((a, b) => a.changes - b.changes)
    .slice(0, limit)
    .map((result) => result.text);
}

/**
 * "kenichi" is ケンイチ, "shinya" シンヤ: an n before a vowel or y may end its syllable. The word as written first, then
 * with such an n read as ン (at most two places).
 */
function syllableReadings(word: string): string[] {
  const places = [...word.matchAll(/(?<=[a-z])n(?=[aeiouy])/gi)].map((match) => match.index).slice(0, 2);
  const readings = [word];
  for (const at of places) {
    for (const reading of [...readings]) {
      const shift = reading.length - word.length;
      readings.push(`${reading.slice(0, at + shift + 1)}'${reading.slice(at + shift + 1)}`);
    }
  }
  return readings;
}

/** "sato" → サト, サトウ, サトオ, …: romaji drops long vowels, so each o and u may stand for two kana. */
export function romajiSpellings(word: string): string[] {
  const spellings = new Set<string>();
  for (const reading of syllableReadings(word)) {
    for (const spelling of longVowelSpellings(reading)) spellings.add(spelling);
  }
  return [...spellings].slice(0, MAX_SPELLINGS_PER_PART * 2);
}

function longVowelSpellings(word: string): string[] {
  const syllables = romajiSyllables(word);
  if (!syllables) return [];
  const places: string[][] = [];
  for (let i = 0; i < syllables.length; i++) {
    const syllable = syllables[i]!;
    const next = syllables[i + 1];
    if (syllable === LONG) continue;
    places.push([syllable]);
    if (O_ENDING.test(syllable)) {
      const written = next === LONG || next === "ウ" || next === "オ";
      if (written) i += 1;
      places.push(written ? (next === "オ" ? ["オ", "ウ"] : ["ウ", "オ"]) : ["", "ウ", "オ"]);
    } else if (U_ENDING.test(syllable)) {
      if (next === "ウ") i += 1;
      places.push(next === "ウ" ? ["ウ"] : ["", "ウ"]);
    }
  }
  return combinations(places, MAX_SPELLINGS_PER_PART);
}

// The vowel a kana ends in, for the long-vowel mark: サトー is サトウ (or サトオ), ケーコ ケイコ, ユーコ ユウコ.
const LONG_MARK_READINGS: readonly [RegExp, readonly string[]][] = [
  [/[オコソトノホモヨロゴゾドボポョォ]$/u, ["ウ", "オ"]],
  [/[ウクスツヌフムユルグズヅブプュゥ]$/u, ["ウ"]],
  [/[エケセテネヘメレゲゼデベペェ]$/u, ["イ", "エ"]],
  [/[イキシチニヒミリギジヂビピィ]$/u, ["イ"]],
  [/[アカサタナハマヤラワガザダバパャァ]$/u, ["ア"]],
];

/** "サトー", "さとー": the long-vowel mark where the stored reading writes the vowel. */
function longMarkForms(word: string): string[] {
  const kana = toSearchKey(word);
  if (!kana.includes(LONG) || !/^[\u30a1-\u30fc]+$/u.test(kana)) return [];
  const chars = [...kana];
  const places = chars.map((c, i) => {
    if (c !== LONG || i === 0) return [c];
    return LONG_MARK_READINGS.find(([ending]) => ending.test(chars[i - 1]!))?.[1] ?? [c];
  });
  return combinations(places, MAX_KANJI_FORMS);
}

// ヴ as most people say and register it: ヴァイオレット is also バイオレット.
const VU_SOUNDS: readonly [RegExp, string][] = [
  [/ヴァ/g, "バ"],
  [/ヴィ/g, "ビ"],
  [/ヴェ/g, "ベ"],
  [/ヴォ/g, "ボ"],
  [/ヴ/g, "ブ"],
];

/** A kana word with ヴ (or ゔ): the same word with ブ, バ, ビ, ベ or ボ; empty without one. */
function vuForms(word: string): string[] {
  const kana = toSearchKey(word);
  if (!kana.includes("ヴ") || !/^[\u30a1-\u30fc]+$/u.test(kana)) return [];
  return [VU_SOUNDS.reduce((text, [sound, written]) => text.replace(sound, written), kana)];
}

function kanjiForms(word: string): string[] {
  // A name typed with an old form is modernised, never made older elsewhere (髙橋 is 高橋, not 髙槗).
  const withKanji = /\p{Script=Han}/u.test(word);
  const typedOld = [...word].some((c) => KANJI_FORMS[c] !== undefined && OLD_FORMS[c] === undefined);
  // 佐佐木, 奈奈: a kanji written twice where the name has the repetition mark (佐々木, 奈々).
  const places = [...word].map((c, i, all) => [
    c,
    ...(KANJI_FORMS[c] ?? []),
    ...(MISCONVERTED[c] ?? []),
    ...(typedOld ? [] : (OLD_FORMS[c] ?? [])),
    ...(i > 0 && all[i - 1] === c && /\p{Script=Han}/u.test(c) ? ["々"] : []),
    // 一ヶ瀬, 霞ヶ関: the small ヶ is also written ケ, and said (and typed) が.
    ...(!withKanji ? [] : c === "ヶ" ? ["ケ"] : "ケがガ".includes(c) ? ["ヶ"] : []),
  ]);
  return combinations(places, MAX_KANJI_FORMS);
}

/**
 * The name with its kanji in their other forms only (高橋 → 髙橋, 髙槗; 渡辺 → 渡邊, 渡邉), never itself: listed after the
 * name as typed even when it is held, since a customer registered in one form is called by the other (ADR 086).
 */
export function kanjiVariants(name: string): string[] {
  const parts = name.split(" ").filter((part) => part.length > 0);
  let spelled: string[][] = [[]];
  for (const part of parts) {
    const forms = /\p{Script=Han}/u.test(part) ? kanjiForms(part) : [part];
    spelled = spelled.flatMap((prefix) => forms.map((form) => [...prefix, form])).slice(0, MAX_KANJI_FORMS);
  }
  const typed = toSearchKey(name);
  return [...new Set(spelled.map((variant) => variant.join(" ")))].filter((variant) => toSearchKey(variant) !== typed);
}

/** The spellings of one part of a name: itself first, then its kana from romaji or its modern kanji forms. */
function partSpellings(part: string): string[] {
  const romaji = romajiSpellings(part);
  if (romaji.length > 0) return romaji;
  const longMark = longMarkForms(part);
  if (longMark.length > 0) return [part, ...longMark];
  const vu = vuForms(part);
  return vu.length > 0 ? [part, ...vu] : kanjiForms(part);
}

/** Every choice of one spelling per part, the likeliest spellings of every part first; product bounded. */
function spellingsOf(parts: string[]): string[][] {
  let out: { parts: string[]; rank: number }[] = [{ parts: [], rank: 0 }];
  for (const part of parts) {
    const spellings = partSpellings(part);
    out = out
      .flatMap((prefix) =>
        spellings.map((spelling, i) => ({ parts: [...prefix.parts, spelling], rank: prefix.rank + i })),
      )
      .sort((a, b) => a.rank - b.rank)
      .slice(0, MAX_NAME_ALTERNATIVES / 2);
  }
  return out.map((entry) => entry.parts);
}

// "千葉のさとう": a bare prefecture or a city before a hiragana name, which the parser keeps whole (千葉 のぞみ is a
// name); "サトウサン": サン run into a katakana name, which ハッサン ends in too. Each is tried without the place or the
// honorific only when nobody holds the name as typed (ADR 119).
const PLACE_PARTICLE = /^の(?=\p{Script=Hiragana}{2})/u;
const RUN_IN_SAN = /^([\p{Script=Katakana}ー]{2,})(?<!ッ)サン$/u;

/** The parts without a place and の before a hiragana name, or null when there is none. */
function withoutPlaceBeforeNo(parts: string[]): string[] | null {
  const at = parts.findIndex(
    (part, i) => (BARE_PREFECTURES.has(part) || CITY.test(part)) && PLACE_PARTICLE.test(parts[i + 1] ?? ""),
  );
  if (at < 0) return null;
  return [...parts.slice(0, at), parts[at + 1]!.replace(PLACE_PARTICLE, ""), ...parts.slice(at + 2)];
}

/** The parts with サン run into the last, a katakana name of two letters or more not ending in ッ, dropped. */
function withoutRunInSan(parts: string[]): string[] | null {
  const said = RUN_IN_SAN.exec(parts.at(-1) ?? "");
  return said ? [...parts.slice(0, -1), said[1]!] : null;
}

/**
 * Names to try, in order of preference, when `name` (the parser's name: parts separated by single spaces) matches
 * nobody: the parts as typed in other spellings, then without a place before の or サン run in, then without a bare
 * prefecture, then each of those with a two-part name's order swapped. Never the name itself or another with the same
 * key; at most MAX_NAME_ALTERNATIVES.
 */
export function nameAlternatives(name: string): string[] {
  const parts = name.split(" ").filter((part) => part.length > 0);
  const withoutPrefecture = parts.filter((part) => !BARE_PREFECTURES.has(part) && !CITY.test(part));
  const bases = [parts];
  for (const base of [withoutPlaceBeforeNo(parts), withoutRunInSan(parts)]) if (base) bases.push(base);
  if (withoutPrefecture.length > 0 && withoutPrefecture.length < parts.length) bases.push(withoutPrefecture);
  // "佐藤 翔太 サトウ ショウタ" (a name and its reading), "佐藤 翔太 月": with three parts or more, each two in a row.
  if (parts.length >= 3 && parts.length <= MAX_PARTS) {
    for (let i = 0; i + 1 < parts.length; i++) bases.push(parts.slice(i, i + 2));
  }
  // Each base's spellings in the order typed, then the same swapped (half the bound each, so "SHOTA SATO" — given name
  // first, and a dozen long-vowel spellings — still reaches サトウ ショウタ), before the next base: the name as said
  // in another order comes before the name with a word left out ("幸子 宮崎" is 宮崎 幸子 before 幸子 alone).
  const ordered = bases.flatMap((base) => {
    const spelled = spellingsOf(base);
    return [...spelled, ...spelled.filter((p) => p.length === 2).map(([a, b]) => [b!, a!])];
  });
  const seen = new Set([toSearchKey(name)]);
  const out: string[] = [];
  for (const candidate of ordered) {
    const text = candidate.join(" ");
    const key = toSearchKey(text);
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
    if (out.length >= MAX_NAME_ALTERNATIVES) break;
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
const KANA_KEY = /^[\u30a1-\u30fc]+$/u;

/**
 * "ふくだ 由美子", "福田 ゆみこ": a name typed part in kana and part in kanji matches no stored key (each holds one
 * script). The kanji parts, whose readings the database can supply; empty unless the name mixes the two.
 */
export function kanjiPartsOfMixedName(name: string): string[] {
  const parts = name.split(" ").filter((part) => part.length > 0);
  const kanji = parts.filter((part) => HAN.test(part));
  const kana = parts.filter((part) => KANA_KEY.test(toSearchKey(part)));
  return kanji.length > 0 && kana.length > 0 && kanji.length + kana.length === parts.length ? kanji : [];
}

/** The mixed name with each kanji part replaced by one of its readings: all in kana, as the reading keys hold it. */
export function mixedNameInKana(name: string, readings: ReadonlyMap<string, readonly string[]>): string[] {
  const parts = name.split(" ").filter((part) => part.length > 0);
  let out: string[][] = [[]];
  for (const part of parts) {
    const options = HAN.test(part) ? (readings.get(part) ?? []) : [toSearchKey(part)];
    out = out.flatMap((prefix) => options.map((option) => [...prefix, option])).slice(0, MAX_NAME_ALTERNATIVES / 2);
  }
  const candidates = out.filter((candidate) => candidate.length === parts.length);
  return [...candidates, ...candidates.filter((c) => c.length === 2).map(([a, b]) => [b!, a!])].map((c) => c.join(" "));
}
