// The narrow search: the caller gave at least one fact that few customers share (a phone number or its last four, a
// birth date, a card's last four, an email or its local part, a display ID, a device, an IP). Each such reading is an
// index lookup bounded by CANDIDATE_LIMIT; the name (and a birth year) add their own bounded lookups through the
// (key, birth_date, id) indexes. The union — a few hundred customers at most — is ranked in full by how many facts each
// matches and how well the name matches (search-match.ts), so no match is out of reach and nothing reads namesakes.
import type { Reading, SearchTerms } from "~/accounts/search-terms";
import type { CandidateKeys } from "~/accounts/search-match";
import { searchQuery, type SearchSql } from "~/accounts/search-sql.server";
import { Prisma } from "~/generated/prisma/client";

/** Per reading: more than this many customers share it, and it is not a narrowing fact any more. */
export const CANDIDATE_LIMIT = 2000;

/** Readings that can start a narrow search: each selects about one customer in ten thousand, or fewer. */
const SELECTIVE = new Set<Reading["type"]>([
  "phone",
  "email",
  "displayId",
  "customerId",
  "deviceId",
  "fingerprint",
  "ip",
  "birthDate",
  "phoneLast4",
  "cardLast4",
  "emailLocal",
]);

const MAX_CODE_POINT = 0x10ffff;

export function isNarrow(terms: SearchTerms): boolean {
  return terms.facts.some((fact) => fact.some((reading) => SELECTIVE.has(reading.type)));
}

function source(label: string, select: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT customer_id, ${label}::text AS found_by FROM (${select} LIMIT ${CANDIDATE_LIMIT}) s)`;
}

function readingSources(reading: Reading): Prisma.Sql[] {
  switch (reading.type) {
    case "phone":
      return [source("phone", Prisma.sql`SELECT id AS customer_id FROM customer WHERE phone = ${reading.value}`)];
    case "email":
      return [
        source(
          "email",
          Prisma.sql`SELECT id AS customer_id FROM customer WHERE email_key = lower(normalize(${reading.value}, NFKC))`,
        ),
      ];
    case "displayId":
      return [
        source(
          "displayId",
          Prisma.sql`SELECT id AS customer_id FROM customer WHERE display_id IN (${Prisma.join(reading.values)})`,
        ),
      ];
    case "customerId":
      return [
        source("customerId", Prisma.sql`SELECT id AS customer_id FROM customer WHERE id = ${reading.value}::uuid`),
      ];
    case "deviceId":
      return [source("deviceId", Prisma.sql`SELECT customer_id FROM device WHERE id = ${reading.value}::uuid`)];
    case "fingerprint":
      return [
        source("fingerprint", Prisma.sql`SELECT customer_id FROM device WHERE fingerprint_key = ${reading.value}`),
      ];
    case "ip":
      // Most recent first, so that the limit keeps the accounts an attack IP touched lately.
      return [
        source(
          "ip",
          Prisma.sql`SELECT customer_id FROM login_event WHERE ip = ${reading.value}
                      GROUP BY customer_id ORDER BY max(occurred_at) DESC`,
        ),
      ];
    case "birthDate":
      return [
        source(
          "birthDate",
          Prisma.sql`SELECT id AS customer_id FROM customer WHERE birth_date = ${reading.value}::date`,
        ),
      ];
    case "phoneLast4":
      return [
        source("phoneLast4", Prisma.sql`SELECT id AS customer_id FROM customer WHERE phone_last4 = ${reading.value}`),
      ];
    case "cardLast4":
      return [
        // Labelled with the digits: a card is matched by having been found here (search-match.ts), so the candidates'
        // cards are never read — at a million customers that was most of the narrow search's reads.
        source(
          `cardLast4:${reading.value}`,
          Prisma.sql`SELECT DISTINCT customer_id FROM funding_source WHERE last4 = ${reading.value}`,
        ),
      ];
    case "emailLocal": {
      const upper = Prisma.sql`(${reading.value} || chr(${MAX_CODE_POINT}))`;
      return [
        source(
          "emailLocal",
          Prisma.sql`SELECT id AS customer_id FROM customer
                      WHERE email_local >= ${reading.value} AND email_local < ${upper}`,
        ),
      ];
    }
    case "birthYear":
    case "emailDomain":
    case "name":
      return [];
  }
}

function birthYears(terms: SearchTerms): number[] {
  const years = new Set<number>();
  for (const fact of terms.facts) {
    for (const reading of fact) if (reading.type === "birthYear") years.add(reading.value);
  }
  return [...years];
}

/**
 * The name with a birth year ("佐藤 1985", "佐藤 翔太 昭和60年"): equality on a name key and a birth-date range, which
 * the (key, birth_date, id) indexes answer reading only the matching entries. `keys` are the typed key and, when
 * asked, its one-typo neighbours that exist.
 */
function nameWithBirthSources(keys: string[], years: number[]): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  for (const year of years) {
    const range = Prisma.sql`birth_date >= make_date(${year}::int, 1, 1) AND birth_date < make_date(${year}::int + 1, 1, 1)`;
    for (const column of ["name_key", "kana_key", "family_name_key", "family_kana_key"]) {
      out.push(
        source(
          "nameBirth",
          Prisma.sql`SELECT id AS customer_id FROM customer
                      WHERE ${Prisma.raw(column)} = ANY(${keys}::text[]) AND ${range}`,
        ),
      );
    }
  }
  return out;
}

/**
 * The name alone, bounded: used when nobody matches every fact, so that a misheard number still lists the caller's
 * namesakes (ranked by how many facts they match) rather than strangers who share only the number.
 */
function nameSources(keys: string[]): Prisma.Sql[] {
  return ["name_key", "kana_key", "family_name_key", "family_kana_key"].map((column) =>
    source(
      "name",
      Prisma.sql`SELECT id AS customer_id FROM customer WHERE ${Prisma.raw(column)} = ANY(${keys}::text[])`,
    ),
  );
}

interface CandidateRow {
  id: string;
  display_id: string;
  phone: string;
  birth_date: string;
  name_key: string | null;
  kana_key: string | null;
  family_name_key: string | null;
  family_kana_key: string | null;
  given_name_key: string | null;
  given_kana_key: string | null;
  phone_last4: string | null;
  email_key: string | null;
  email_local: string | null;
  email_domain: string | null;
  found_by: string[];
  open_case: boolean;
}

export interface Candidate extends CandidateKeys {
  id: string;
}

/** Every customer any selective reading (or the name with a birth year) points at, with what ranking needs. */
export async function findCandidates(
  sql: SearchSql,
  terms: SearchTerms,
  nameKeys: string[],
  options: { nameAlone?: boolean } = {},
): Promise<Candidate[]> {
  const sources = terms.facts.flatMap((fact) => fact.flatMap(readingSources));
  const years = birthYears(terms);
  if (nameKeys.length > 0 && years.length > 0) sources.push(...nameWithBirthSources(nameKeys, years));
  if (nameKeys.length > 0 && options.nameAlone) sources.push(...nameSources(nameKeys));
  if (sources.length === 0) return [];
  const statement = Prisma.sql`
    WITH found AS (${Prisma.join(sources, " UNION ALL ")}),
         candidate AS (SELECT customer_id, array_agg(DISTINCT found_by) AS found_by FROM found GROUP BY customer_id)
    SELECT c.id::text AS id, c.display_id, c.phone, c.birth_date::text AS birth_date,
           c.name_key, c.kana_key, c.family_name_key, c.family_kana_key, c.given_name_key, c.given_kana_key,
           c.phone_last4, c.email_key, c.email_local, c.email_domain,
           EXISTS (SELECT 1 FROM incident_case ic WHERE ic.customer_id = c.id AND ic.status <> 'CLOSED') AS open_case,
           k.found_by
      FROM candidate k JOIN customer c ON c.id = k.customer_id`;
  const rows = await searchQuery<CandidateRow>(sql, statement.text, statement.values);
  return rows.map((row) => ({
    id: row.id,
    displayId: row.display_id,
    phone: row.phone,
    birthDate: row.birth_date,
    nameKey: row.name_key,
    kanaKey: row.kana_key,
    familyNameKey: row.family_name_key,
    familyKanaKey: row.family_kana_key,
    givenNameKey: row.given_name_key,
    givenKanaKey: row.given_kana_key,
    phoneLast4: row.phone_last4,
    emailKey: row.email_key,
    emailLocal: row.email_local,
    emailDomain: row.email_domain,
    foundBy: row.found_by,
    openCase: row.open_case === true,
  }));
}

export interface NameYearRow {
  id: string;
  /** Sort values as the narrow ranking writes them (search-match.ts rankValues). */
  rank: string[];
  level: number;
  openCase: boolean;
}

/**
 * "佐藤 1985" at a million customers: 1,300 customers share the family name and the birth year, and each of them
 * matches both facts. Rather than fetching all of them to rank in Node, they are ranked here from the
 * (key, birth_date, id) indexes alone — the name match level from which index found them, the open incident case, the
 * birth date, the id: exactly rankValues — and only the `take` after `after` (a narrow page link's sort values) leave
 * the database, with how many there are.
 */
export async function nameYearPage(
  sql: SearchSql,
  key: string,
  year: number,
  after: string[] | null,
  take: number,
): Promise<{ total: number; rows: NameYearRow[] }> {
  const range = `birth_date >= make_date($2::int, 1, 1) AND birth_date < make_date($2::int + 1, 1, 1)`;
  // Level per index, as matchName orders them: full name 0, reading 1, family name (kanji or reading) 2.
  const branches = (["name_key", "kana_key", "family_name_key", "family_kana_key"] as const).map(
    (column, i) =>
      `(SELECT id, birth_date, ${Math.min(i, 2)} AS level FROM customer
         WHERE ${column} = $1 AND ${range} LIMIT ${CANDIDATE_LIMIT})`,
  );
  const C = `COLLATE "C"`;
  const rows = await searchQuery<{
    total: number;
    id: string | null;
    level: string;
    open_case: string;
    birth_date: string;
  }>(
    sql,
    `WITH found AS (SELECT id, min(level) AS level, min(birth_date) AS birth_date
                      FROM (${branches.join(" UNION ALL ")}) s GROUP BY id),
          ranked AS (SELECT id::text AS id, lpad(level::text, 2, '0') AS level,
                            CASE WHEN EXISTS (SELECT 1 FROM incident_case ic
                                               WHERE ic.customer_id = found.id AND ic.status <> 'CLOSED')
                                 THEN '0' ELSE '1' END AS open_case,
                            birth_date::text AS birth_date
                       FROM found)
     SELECT (SELECT count(*) FROM found)::int AS total, r.id, r.level, r.open_case, r.birth_date
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT * FROM ranked
          WHERE $3::text[] IS NULL
             OR ('00' ${C}, level ${C}, open_case ${C}, birth_date ${C}, id ${C})
                > ($3[1] ${C}, $3[2] ${C}, $3[3] ${C}, $3[4] ${C}, $3[5] ${C})
          ORDER BY level ${C}, open_case ${C}, birth_date ${C}, id ${C}
          LIMIT $4) r ON true`,
    [key, year, after, take],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id!,
        rank: ["00", row.level, row.open_case, row.birth_date, row.id!],
        level: Number(row.level),
        openCase: row.open_case === "0",
      })),
  };
}
