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
