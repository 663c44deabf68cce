// The search key of a name, as the database computes it in firebreak_search_key() (migration 20261128005000), so a
// caller's "たなか たろう", "ﾀﾅｶﾀﾛｳ" and "タナカ タロウ" (with an ideographic space) all meet the stored "タナカ タロウ":
//   1. NFKC: full-width Latin letters and digits become ASCII, half-width katakana become full-width (ｶﾞ → ガ),
//      the ideographic space becomes a space;
//   2. whitespace, ASCII punctuation and a few Japanese separators (・、。「」) are removed;
//   3. ASCII letters are lower-cased (only ASCII: the same on every database locale);
//   4. hiragana are folded to katakana.
// Queries are keyed by the database itself (the SQL function), so stored and typed keys cannot drift apart; this
// mirror is what the server uses to classify input and what tests compare with the SQL function.

const REMOVED = /[\s\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u30fb\u3001\u3002\u300c\u300d]/gu;
const HIRAGANA_START = 0x3041;
const HIRAGANA_END = 0x3096;
const KATAKANA_OFFSET = 0x60;

function foldCharacter(char: string): string {
  const code = char.codePointAt(0)!;
  if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 0x20);
  if ((code >= HIRAGANA_START && code <= HIRAGANA_END) || code === 0x309d || code === 0x309e) {
    return String.fromCodePoint(code + KATAKANA_OFFSET);
  }
  return char;
}

/** NFKC, without whitespace and punctuation, ASCII lower case, hiragana folded to katakana. */
export function toSearchKey(value: string): string {
  const normalised = value.normalize("NFKC").replace(REMOVED, "");
  let key = "";
  for (const char of normalised) key += foldCharacter(char);
  return key;
}

/** Longer input is refused: nothing a caller reads out is this long, and it bounds the work per search. */
export const MAX_QUERY_LENGTH = 200;
