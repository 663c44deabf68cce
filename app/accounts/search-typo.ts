// One wrong kana in a name: "サトオ" for サトウ, "ショウダ" for ショウタ, a kana dropped or doubled, two swapped. The
// search does not scan namesakes for similar strings. A key's neighbours are the keys at edit distance 1 from it
// (typoNeighbours): over the katakana alphabet that is substitution, insertion, deletion and transposition; kanji keys
// get deletion and transposition only (no alphabet to substitute from), so variant kanji are still found through their
// reading. Rather than spelling out all of them (about 1,300 for a seven-kana name) and probing the name indexes for
// each, the search looks up the few it shares a variant with (typoVariants: the key and its one-character deletions,
// stored for every name key in search_name_variant) and keeps those isTypoNeighbour accepts (ADR 064).

const KATAKANA_FIRST = 0x30a1; // ァ
const KATAKANA_LAST = 0x30f6; // ヶ
const PROLONGED_SOUND = "ー";
const KATAKANA: readonly string[] = [
  ...Array.from({ length: KATAKANA_LAST - KATAKANA_FIRST + 1 }, (_, i) => String.fromCodePoint(KATAKANA_FIRST + i)),
  PROLONGED_SOUND,
];
const ALL_KATAKANA = /^[\u30a1-\u30f6\u30fc]+$/u;
/** Keys this short have too many neighbours to mean anything ("ア" is one kana from every one-kana key). */
export const MIN_TYPO_KEY_LENGTH = 3;

/** Every key at edit distance exactly 1 (Damerau: a swap of neighbours counts as one) from `key`, without `key`. */
export function typoNeighbours(key: string): string[] {
  const chars = [...key];
  if (chars.length < MIN_TYPO_KEY_LENGTH) return [];
  const out = new Set<string>();
  const alphabet = ALL_KATAKANA.test(key) ? KATAKANA : [];
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i).join("");
    const tail = chars.slice(i).join("");
    for (const letter of alphabet) out.add(head + letter + tail); // insertion
    if (i < chars.length) {
      const after = chars.slice(i + 1).join("");
      out.add(head + after); // deletion
      for (const letter of alphabet) out.add(head + letter + after); // substitution
      if (i + 1 < chars.length) out.add(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join("")); // swap
    }
  }
  out.delete(key);
  return [...out];
}

/** True when `a` and `b` differ by at most one substitution, insertion, deletion or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  // A code point is one or two UTF-16 units, so one edit changes the length by two at most: most of the names the
  // narrow ranking compares are far apart, and are told so here without splitting them into code points.
  if (Math.abs(a.length - b.length) > 2) return false;
  // The ranking asks this of every candidate's six name keys, hundreds of times a search: names without characters
  // outside the Basic Multilingual Plane (nearly all) are compared unit by unit, without splitting them into arrays.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return oneEditApart(a, b);
  return oneEditApart([...a], [...b]);
}

const SURROGATE = /[\ud800-\udfff]/;

/** withinOneEdit over sequences of code points (a string of BMP characters is one). */
function oneEditApart(x: ArrayLike<string>, y: ArrayLike<string>): boolean {
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    if (sameFrom(x, y, i + 1, i + 1)) return true; // substitution
    return x[i] === y[i + 1] && x[i + 1] === y[i] && sameFrom(x, y, i + 2, i + 2); // swap
  }
  return x.length > y.length ? sameFrom(x, y, i + 1, i) : sameFrom(x, y, i, i + 1);
}

/** x from `p` on equals y from `q` on. */
function sameFrom(x: ArrayLike<string>, y: ArrayLike<string>, p: number, q: number): boolean {
  if (x.length - p !== y.length - q) return false;
  for (; p < x.length; p++, q++) if (x[p] !== y[q]) return false;
  return true;
}

/**
 * What the search looks a typed key's neighbours up by (search_name_variant): the key itself and each string with one
 * of its characters removed. Two keys within one edit of each other always share one of these strings; a key two
 * edits away may too, which isTypoNeighbour then rules out.
 */
export function typoVariants(key: string): string[] {
  const chars = [...key];
  if (chars.length < MIN_TYPO_KEY_LENGTH) return [];
  const out = new Set<string>([key]);
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join("") + chars.slice(i + 1).join(""));
  return [...out];
}

/**
 * True when `key` is one of typoNeighbours(typed): within one edit, not `typed` itself, and — for a katakana key —
 * written in katakana, or — for any other — a deletion or a swap of neighbours (no character `typed` lacks).
 */
export function isTypoNeighbour(typed: string, key: string): boolean {
  if (key === typed || [...typed].length < MIN_TYPO_KEY_LENGTH || !withinOneEdit(typed, key)) return false;
  if (ALL_KATAKANA.test(typed)) return ALL_KATAKANA.test(key);
  const x = [...typed];
  const y = [...key];
  if (y.length < x.length) return true;
  return y.length === x.length && [...x].sort().join("") === [...y].sort().join("");
}

// How likely one wrong kana is to be the slip that turned the caller's name into the one typed. Listed in this order,
// the neighbours most likely meant fill page 1 first when all of them together hold more than a page.
//   0 — the same sound written another way: a voicing mark (タ/ダ, ハ/バ/パ), a small or large kana (ツ/ッ, ヤ/ャ), a
//       long-vowel mark for a vowel (ー/ウ), or a length mark or vowel dropped or added (サトウ/サト, ユウキ/ユキ);
//   1 — a vowel slip: the same consonant row (マサト/マシト), as when a vowel is misheard (devoiced i and u: シ/ス) or
//       the wrong vowel key is struck after the right consonant in romaji input;
//   2 — a consonant slip: the same vowel (サ/タ);
//   3 — anything else: two kana swapped, another kana inserted or dropped, an unrelated kana, a kanji key.
const GOJUON_ROWS = [
  "アイウエオ",
  "カキクケコ",
  "ガギグゲゴ",
  "サシスセソ",
  "ザジズゼゾ",
  "タチツテト",
  "ダヂヅデド",
  "ナニヌネノ",
  "ハヒフヘホ",
  "バビブベボ",
  "パピプペポ",
  "マミムメモ",
  "ヤ\0ユ\0ヨ",
  "ラリルレロ",
  "ワヰ\0ヱヲ",
];
const SMALL_TO_LARGE: Readonly<Record<string, string>> = {
  ァ: "ア",
  ィ: "イ",
  ゥ: "ウ",
  ェ: "エ",
  ォ: "オ",
  ッ: "ツ",
  ャ: "ヤ",
  ュ: "ユ",
  ョ: "ヨ",
  ヮ: "ワ",
  ヵ: "カ",
  ヶ: "ケ",
};
/** Row and vowel of each kana in GOJUON_ROWS, small kana under their large form's place. */
const GOJUON_PLACE = new Map<string, { row: number; vowel: number }>();
GOJUON_ROWS.forEach((row, r) =>
  [...row].forEach((kana, v) => kana !== "\0" && GOJUON_PLACE.set(kana, { row: r, vowel: v })),
);
for (const [small, large] of Object.entries(SMALL_TO_LARGE)) GOJUON_PLACE.set(small, GOJUON_PLACE.get(large)!);
const VOWELS = new Set([...GOJUON_ROWS[0]!]);
/** Added or dropped, these change a name's length, not its sound as heard: ー, a vowel, ッ, ン. */
const LENGTH_MARKS = new Set([PROLONGED_SOUND, "ッ", "ン", ...VOWELS]);

/** The kana without its voicing mark and at full size: ガ → カ, パ → ハ, ッ → ツ. */
function plainKana(kana: string): string {
  const unvoiced = kana.normalize("NFD").replace(/[\u3099\u309a]/g, "");
  return SMALL_TO_LARGE[unvoiced] ?? unvoiced;
}

function substitutionRank(a: string, b: string): number {
  if (plainKana(a) === plainKana(b)) return 0;
  if ((a === PROLONGED_SOUND && VOWELS.has(b)) || (b === PROLONGED_SOUND && VOWELS.has(a))) return 0;
  const x = GOJUON_PLACE.get(a);
  const y = GOJUON_PLACE.get(b);
  if (!x || !y) return 3;
  if (x.row === y.row) return 1;
  return x.vowel === y.vowel ? 2 : 3;
}

/**
 * 0–3, most likely first (see above), of `key` as the name meant when `typed` was typed; `key` is one of
 * typoNeighbours(typed). Katakana keys only: any other key ranks 3.
 */
export function typoLikelihoodRank(typed: string, key: string): number {
  if (!ALL_KATAKANA.test(typed) || !ALL_KATAKANA.test(key)) return 3;
  let i = 0;
  while (i < typed.length && i < key.length && typed[i] === key[i]) i++;
  if (typed.length === key.length) {
    return typed.slice(i + 1) === key.slice(i + 1) ? substitutionRank(typed[i]!, key[i]!) : 3;
  }
  const extra = typed.length > key.length ? typed[i]! : key[i]!;
  return LENGTH_MARKS.has(extra) ? 0 : 3;
}

/** Neighbour keys in the order they are listed: most likely meant first, then by code point. */
export function byTypoLikelihood(typed: string, keys: readonly string[]): string[] {
  return keys
    .map((key) => ({ key, rank: typoLikelihoodRank(typed, key) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key }) => key);
}
