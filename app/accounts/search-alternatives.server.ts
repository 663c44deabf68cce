// When the name as typed matches nobody, the first of its other readings that some customer holds
// (search-name-alternatives.ts: given name first, romaji, old-form kanji, a bare prefecture dropped). One statement of
// index probes — at most a handful per alternative, MAX_NAME_ALTERNATIVES alternatives — and only on that path, so a
// name that exists costs nothing more. See docs/decisions/078-caller-search-spoken-forms.md.
import { toSearchKey } from "~/accounts/search-key";
import { nameAlternatives } from "~/accounts/search-name-alternatives";
import type { SearchTerms } from "~/accounts/search-query.server";
import { searchQuery, type SearchSql } from "~/accounts/search-sql.server";

// A full name (two parts or more) must be someone's full name or reading; one part may also be a family or given name.
const FIRST_HELD = `
  SELECT t.i::int AS i
    FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS t(k, whole, i)
   WHERE EXISTS (SELECT 1 FROM customer WHERE name_key = t.k)
      OR EXISTS (SELECT 1 FROM customer WHERE kana_key = t.k)
      OR (NOT t.whole AND (EXISTS (SELECT 1 FROM customer WHERE family_name_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE family_kana_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE given_name_key = t.k)
                        OR EXISTS (SELECT 1 FROM customer WHERE given_kana_key = t.k)))
   ORDER BY t.i
   LIMIT 1`;

/**
 * The search terms with the name replaced by its first alternative some customer holds; null when the name as typed
 * is held (then nothing is replaced: the caller said what they said) or no alternative is.
 */
export async function findNameAlternative(sql: SearchSql, terms: SearchTerms): Promise<SearchTerms | null> {
  if (!terms.name || !terms.nameKey) return null;
  const alternatives = nameAlternatives(terms.name);
  if (alternatives.length === 0) return null;
  const names = [terms.name, ...alternatives];
  const rows = await searchQuery<{ i: number }>(sql, FIRST_HELD, [
    names.map(toSearchKey),
    names.map((name) => name.includes(" ")),
  ]);
  const first = rows[0]?.i;
  if (first === undefined || first === 1) return null;
  const name = names[first - 1]!;
  return {
    ...terms,
    name,
    nameKey: toSearchKey(name),
    facts: terms.facts.map((fact) =>
      fact.map((reading) => (reading.type === "name" ? { type: "name" as const, value: name } : reading)),
    ),
  };
}
