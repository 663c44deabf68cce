// Where the caller lives, said before their name with の: "東京都の佐藤さん", "大阪府在住の佐藤翔太", "横浜市の佐藤",
// "東京都新宿区の佐藤翔太". Typed as one word, the whole was read as an address (and the name lost) or as a name nobody
// holds. Customers' addresses are not recorded, so the place is set aside and named; the name is read on (ADR 117).
import { PREFECTURES } from "~/accounts/prefectures";
import { BARE_PREFECTURES, CITY } from "~/accounts/search-name-alternatives";

const LETTER = /\p{L}/u;
const HIRAGANA_FIRST = /^\p{Script=Hiragana}/u;
// "東京都新宿区", "神奈川県横浜市": a prefecture and a city, ward, town or village in it.
const MUNICIPALITY = /^\p{Script=Han}{1,6}[市区町村郡]$/u;
// 在住 or 住まい between the place and の: "大阪府在住の".
const RESIDENT = /(?:在住|住まい)$/u;

export interface PlaceBeforeName {
  /** A prefecture said in full (recognised as the search already does: it cannot narrow). */
  prefecture: string | null;
  /** The place, when more or other than a full prefecture: named back as an address not searched. */
  address: string | null;
  name: string;
}

// "東京都佐藤翔太": a full prefecture run into the name without の. An address goes on with its city, ward or district
// (市, 区 or 郡 after a few letters: 新宿区, さいたま市) or a house number; a name does neither. So 高市 or 古市 after a
// prefecture still reads as a city, and 中村 or 木村 as a name (towns and villages are named after their 郡).
const MUNICIPALITY_FIRST = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ヶー]{1,6}?[市区郡]/u;
const DIGIT = /\d/;
const RESIDENT_FIRST = /^(?:在住|住まい)/u;

/** The prefecture and the name in "<prefecture><name>", or null when what follows it reads as an address. */
export function splitPrefectureRunIntoName(word: string): PlaceBeforeName | null {
  const prefecture = [...PREFECTURES].find((full) => word.startsWith(full));
  if (!prefecture) return null;
  const name = word.slice(prefecture.length).replace(RESIDENT_FIRST, "");
  if (!LETTER.test(name) || DIGIT.test(name) || MUNICIPALITY_FIRST.test(name)) return null;
  return { prefecture, address: null, name };
}

/** The place and the name in "<place>の<name>", or null when what stands before の is no place ("中村の佐藤"). */
export function splitPlaceBeforeName(word: string): PlaceBeforeName | null {
  for (let at = word.indexOf("の"); at > 0; at = word.indexOf("の", at + 1)) {
    const place = word.slice(0, at).replace(RESIDENT, "");
    const name = word.slice(at + 1);
    if (!LETTER.test(name)) continue;
    if (PREFECTURES.has(place)) return { prefecture: place, address: null, name };
    const prefecture = [...PREFECTURES].find((full) => place.startsWith(full));
    if (prefecture && MUNICIPALITY.test(place.slice(prefecture.length))) return { prefecture, address: place, name };
    // 千葉, 石川, 高市 are also family names, and のぞみ, のりこ given names: "千葉のぞみ" is a name. A place without its
    // suffix is split only before a name in kanji or katakana.
    if ((BARE_PREFECTURES.has(place) || CITY.test(place)) && !HIRAGANA_FIRST.test(name))
      return { prefecture: null, address: place, name };
  }
  return null;
}
