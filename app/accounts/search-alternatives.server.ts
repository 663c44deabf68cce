// When the name as typed matches nobody, those of its other readings that some customer holds
// (search-name-alternatives.ts: given name first, romaji, old-form kanji, a bare prefecture dropped; a name typed part
// in kana and part in kanji, in kana with the kanji parts' readings sampled from the database). One statement of index
// probes — at most a handful per alternative, MAX_NAME_ALTERNATIVES alternatives — and only on that path, so a name
// that exists costs nothing more. See docs/decisions/078-caller-search-spoken-forms.md and 081.
import { toSearchKey } from "~/accounts/search-key";
import {
  kanjiPartsOfMixedName,
  MAX_NAME_ALTERNATIVES,
  mixedNameInKana,
  nameAlternatives,
} from "~/accounts/search-name-alternatives";
import type { SearchTerms } from "~/accounts/search-terms";
import { searchQuery, type SearchSql } from "~/accounts/search-sql.server";

/**
 * At most this many held forms are searched together ("ono": オノ and オオノ; "yuki": ユキ and ユウキ): each adds a few
 * exact index branches to the page and count statements.
 */
export const MAX_SEARCHED_FORMS = 4;

// A full name (two parts or more) must be someone's full name or reading; one part may also be a family or given name.
// The name as typed is the first entry: the first MAX_SEARCHED_FORMS + 1 held, in order of preference.
const HELD = `
  SELECT t.i::int AS i
    FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS t(k, whole, i)
   WHERE EXISTS (SELECT 1 FROM customer WHERE name_key = t.k)
      OR EXISTS (SELECT 1 FROM customer WHERE kana_key = t.k)
      OR (NOT t.whole AND (EXISTS (SELECT 1 FROM customer WHERE family_name_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE family_kana_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE given_name_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE given_kana_key = t.k)))
   ORDER BY t.i
   LIMIT ${MAX_SEARCHED_FORMS + 1}`;

const READING_SAMPLE = 20;

/**
 * How the customers holding a kanji part as their family or given name read it: the first READING_SAMPLE of each
 * (an index range and that many rows), which nearly always share one reading. The family-name side is read in its
 * index's order, so the generic plan stops after the sample instead of collecting all 50,000 佐藤 into a bitmap; a
 * given name (a single-column index) is shared by a few thousand at most.
 */
const READINGS = `
  SELECT DISTINCT t.k AS part, r.reading
    FROM unnest($1::text[]) AS t(k)
   CROSS JOIN LATERAL (
         (SELECT family_kana_key AS reading FROM customer WHERE family_name_key = t.k
           ORDER BY family_name_key, birth_date, id LIMIT ${READING_SAMPLE})
         UNION ALL
         (SELECT given_kana_key FROM customer WHERE given_name_key = t.k LIMIT ${READING_SAMPLE})) r
   WHERE r.reading IS NOT NULL`;

/** Mixed names tried in kana: the name itself, and its romaji parts' kana spellings ("佐藤 shota" → 佐藤 ショウタ). */
const MAX_MIXED_SPELLINGS = 6;

/**
 * "ふくだ 由美子" → "フクダ ユミコ", with the readings the database holds for 由美子; "佐藤 shota" (kanji and romaji)
 * → "サトウ ショウタ", the romaji first spelled in kana. One statement for every kanji part.
 */
async function mixedScriptAlternatives(sql: SearchSql, name: string, spellings: string[]): Promise<string[]> {
  const mixed = [name, ...spellings]
    .filter((form) => kanjiPartsOfMixedName(form).length > 0)
    .slice(0, MAX_MIXED_SPELLINGS);
  const kanji = [...new Set(mixed.flatMap(kanjiPartsOfMixedName))];
  if (kanji.length === 0) return [];
  const rows = await searchQuery<{ part: string; reading: string }>(sql, READINGS, [kanji.map(toSearchKey)]);
  const readings = new Map<string, string[]>();
  for (const part of kanji) {
    readings.set(
      part,
      rows.filter((row) => row.part === toSearchKey(part)).map((row) => row.reading),
    );
  }
  return mixed.flatMap((form) => mixedNameInKana(form, readings));
}

export interface HeldForms {
  /** Some customer holds the name as typed (exactly, as a full name or, for one part, a family or given name). */
  typedHeld: boolean;
  /** Other forms of the name that customers hold, in order of preference, at most MAX_SEARCHED_FORMS. */
  held: string[];
}

/** Which other forms of the name some customer holds: one statement of index probes, on the no-match path only. */
export async function findHeldForms(sql: SearchSql, terms: SearchTerms): Promise<HeldForms> {
  if (!terms.name || !terms.nameKey) return { typedHeld: false, held: [] };
  const spellings = nameAlternatives(terms.name);
  const alternatives = [...(await mixedScriptAlternatives(sql, terms.name, spellings)), ...spellings].slice(
    0,
    MAX_NAME_ALTERNATIVES,
  );
  if (alternatives.length === 0) return { typedHeld: false, held: [] };
  const names = [terms.name, ...alternatives];
  const rows = await searchQuery<{ i: number }>(sql, HELD, [
    names.map(toSearchKey),
    names.map((name) => name.includes(" ")),
  ]);
  const indices = rows.map((row) => Number(row.i));
  return {
    typedHeld: indices.includes(1),
    held: indices
      .filter((i) => i !== 1)
      .slice(0, MAX_SEARCHED_FORMS)
      .map((i) => names[i - 1]!),
  };
}

/** The search terms with the name replaced by another form of it. */
export function withName(terms: SearchTerms, name: string): SearchTerms {
  return {
    ...terms,
    name,
    nameKey: toSearchKey(name),
    facts: terms.facts.map((fact) =>
      fact.map((reading) => (reading.type === "name" ? { type: "name" as const, value: name } : reading)),
    ),
  };
}
