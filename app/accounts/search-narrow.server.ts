// The narrow search: the caller gave at least one fact that few customers share (a phone number or its last four, a
// birth date, a card's last four, an email or its local part, a display ID, a device, an IP). Each such reading is an
// index lookup bounded by CANDIDATE_LIMIT; the name (and a birth year) add their own bounded lookups through the
// (key, birth_date, id) indexes. The union — a few hundred customers at most — is ranked in full by how many facts each
// matches and how well the name matches (search-match.ts), so no match is out of reach and nothing reads namesakes.
import type { Reading, SearchTerms } from "~/accounts/search-terms";
import { matchCandidate, type CandidateKeys } from "~/accounts/search-match";
import {
  DETAIL_COLUMNS,
  detailFromJson,
  detailJoin,
  detailJsonWhen,
  detailOf,
  latestCaseJoinWhen,
  type DetailRow,
} from "~/accounts/search-details.server";
import { PAGE_SIZE } from "~/accounts/search-plan";
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

/**
 * A name with a birth month or a birthday without its year is narrow too: its sources read only the namesakes born
 * then, per year, never every namesake (ADR 086).
 */
export function isNarrow(terms: SearchTerms): boolean {
  return terms.facts.some((fact) =>
    fact.some((reading) => SELECTIVE.has(reading.type) || (reading.type === "birthMonth" && terms.nameKey !== null)),
  );
}

/**
 * One bounded candidate lookup, labelled with what found the customer and with the index of the fact it reads (-1
 * for the name's own lookups), so that the database can tell who matches every fact (onlyCompleteWhenSomeoneIs).
 */
function labelled(label: string, select: Prisma.Sql, fact = -1): Prisma.Sql {
  return Prisma.sql`(SELECT customer_id, ${label}::text AS found_by, ${Prisma.raw(String(fact))} AS fact
                       FROM (${select} LIMIT ${CANDIDATE_LIMIT}) s)`;
}

function readingSources(reading: Reading, fact: number): Prisma.Sql[] {
  const source = (label: string, select: Prisma.Sql) => labelled(label, select, fact);
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
    case "birthMonth":
    case "emailDomain":
    case "name":
      return [];
  }
}

/**
 * When the caller was born, as far as a name's (key, birth_date, id) indexes can read it: a year, a month (of a year,
 * when said with it) or a birthday.
 */
export type BirthPeriod = { year: number } | { month: number; day: number | null; inYear?: number };

/** The birth years the caller may have said, or else the month (and day) said without a year. */
export function birthPeriods(terms: SearchTerms): BirthPeriod[] {
  const years = new Set<number>();
  let month: BirthPeriod | null = null;
  for (const fact of terms.facts) {
    for (const reading of fact) {
      if (reading.type === "birthYear") years.add(reading.value);
      if (reading.type === "birthMonth") month = monthPeriod(reading);
    }
  }
  if (years.size > 0) return [...years].map((year) => ({ year }));
  return month ? [month] : [];
}

export function monthPeriod(reading: { month: number; day: number | null; year?: number }): BirthPeriod {
  return { month: reading.month, day: reading.day, ...(reading.year === undefined ? {} : { inYear: reading.year }) };
}

export function inBirthPeriod(birthDate: string, period: BirthPeriod): boolean {
  if ("year" in period) return birthDate.startsWith(`${period.year}-`);
  const [year, month, day] = birthDate.split("-").map(Number);
  const inYear = period.inYear === undefined || year === period.inYear;
  return inYear && month === period.month && (period.day === null || day === period.day);
}

// Every birth year the table holds, from its birth-date index's two ends (two index probes).
const BIRTH_YEARS = Prisma.sql`generate_series((SELECT extract(year FROM min(birth_date))::int FROM customer),
                                               (SELECT extract(year FROM max(birth_date))::int FROM customer)) AS y`;

/**
 * Customers with one of `keys` in `column`, born in the period, from the (key, birth_date, id) index alone: a year is
 * one range; a month or a birthday is one range per birth year the table holds (a few dozen index probes), so only the
 * namesakes born then are read, never every namesake. At most CANDIDATE_LIMIT, earliest born first.
 */
export function bornInPeriod(column: string, keys: string[], period: BirthPeriod): Prisma.Sql {
  const key = Prisma.sql`${Prisma.raw(column)} = ANY(${keys}::text[])`;
  if ("year" in period) {
    return Prisma.sql`SELECT id, birth_date FROM customer
                       WHERE ${key} AND birth_date >= make_date(${period.year}::int, 1, 1)
                         AND birth_date < make_date(${period.year}::int + 1, 1, 1)
                       LIMIT ${CANDIDATE_LIMIT}`;
  }
  if (period.inYear !== undefined) {
    // "1985年3月": one range, that month of that year.
    const first = Prisma.sql`make_date(${period.inYear}::int, ${period.month}::int, 1)`;
    return Prisma.sql`SELECT id, birth_date FROM customer
                       WHERE ${key} AND birth_date >= ${first} AND birth_date < (${first} + interval '1 month')::date
                       LIMIT ${CANDIDATE_LIMIT}`;
  }
  // The month's first day, or the birthday; 29 February in a year without one starts on 1 March and reads nothing.
  const monthStart = Prisma.sql`make_date(y, ${period.month}::int, 1)`;
  const start = Prisma.sql`(${monthStart} + (coalesce(${period.day}::int, 1) - 1))`;
  const end = Prisma.sql`least((${monthStart} + interval '1 month')::date,
                               CASE WHEN ${period.day}::int IS NULL THEN 'infinity'::date ELSE ${start} + 1 END)`;
  return Prisma.sql`SELECT c.id, c.birth_date FROM ${BIRTH_YEARS}
                     CROSS JOIN LATERAL (SELECT id, birth_date FROM customer
                                          WHERE ${key} AND birth_date >= ${start} AND birth_date < ${end}) c
                     LIMIT ${CANDIDATE_LIMIT}`;
}

/**
 * The name with a birth year or month ("佐藤 1985", "佐藤 翔太 昭和60年", "佐藤 3月生まれ"): equality on a name key and
 * the birth period, which the (key, birth_date, id) indexes answer reading only the matching entries. `keys` are the
 * typed key and, when asked, its one-typo neighbours that exist.
 */
function nameWithBirthSources(keys: string[], periods: BirthPeriod[]): Prisma.Sql[] {
  return periods.flatMap((period) =>
    ["name_key", "kana_key", "family_name_key", "family_kana_key"].map((column) =>
      labelled("nameBirth", Prisma.sql`SELECT id AS customer_id FROM (${bornInPeriod(column, keys, period)}) b`),
    ),
  );
}

/**
 * The name alone, bounded: used when nobody matches every fact, so that a misheard number still lists the caller's
 * namesakes (ranked by how many facts they match) rather than strangers who share only the number.
 */
function nameSources(keys: string[]): Prisma.Sql[] {
  return ["name_key", "kana_key", "family_name_key", "family_kana_key"].map((column) =>
    labelled(
      "name",
      Prisma.sql`SELECT id AS customer_id FROM customer WHERE ${Prisma.raw(column)} = ANY(${keys}::text[])`,
    ),
  );
}

/**
 * The columns only some facts are matched on (matchReading): read when the query has such a fact, else NULL. A year or
 * a last four points at a few hundred candidates, and decoding their emails and phone numbers for nothing was a good
 * part of what reading them cost the console.
 */
function factColumns(terms: SearchTerms): string {
  const types = new Set(terms.facts.flatMap((fact) => fact.map((reading) => reading.type)));
  const column = (name: string, needed: boolean) => (needed ? `c.${name}` : `NULL::text AS ${name}`);
  return [
    column("display_id", types.has("displayId")),
    column("phone", types.has("phone")),
    column("email_key", types.has("email")),
    column("email_local", types.has("emailLocal")),
    column("email_domain", types.has("emailDomain")),
  ].join(", ");
}

interface CandidateRow {
  id: string;
  display_id: string | null;
  phone: string | null;
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
  only_complete: boolean;
  open_case: boolean;
  detail: Parameters<typeof detailFromJson>[0];
}

export interface Candidate extends CandidateKeys {
  id: string;
  /** What the page shows of the customer: read with the candidates when they are at most a page (else absent). */
  detail?: DetailRow;
}

/**
 * A customer whose name keys could match one of `keys` at some level of matchName (exact, prefix, given-name prefix,
 * or — for a key of three UTF-16 units or more, as matchName asks — one edit): a superset, cheap to test in the
 * database. One edit keeps a key's length within one, and for a key of three characters or more it keeps the first or
 * the last character (a swap of two, a change at one end, a character added or dropped anywhere: each leaves the other
 * end alone); a key of three units may be two characters (𠮷田), so shorter keys are bounded by length alone.
 */
export function nameCouldMatch(keys: string[]): Prisma.Sql {
  const columns = ["name_key", "kana_key", "family_name_key", "family_kana_key", "given_name_key", "given_kana_key"];
  // Written out per key, with the key's length and ends computed here: the database tests every candidate, and
  // functions over a parameter, or a subquery over the keys, were most of that test's cost.
  const perKey = keys.map((key) => {
    const chars = [...key];
    const same = Prisma.sql`c.name_key = ${key} OR c.kana_key = ${key} OR c.family_name_key = ${key}
      OR c.family_kana_key = ${key} OR starts_with(c.name_key, ${key}) OR starts_with(c.kana_key, ${key})
      OR starts_with(c.given_name_key, ${key}) OR starts_with(c.given_kana_key, ${key})`;
    if (key.length < 3) return same;
    const length = chars.length;
    const oneEdit = columns.map((column) => {
      const near = Prisma.sql`length(${Prisma.raw(`c.${column}`)}) BETWEEN ${length - 1}::int AND ${length + 1}::int`;
      if (length <= 2) return Prisma.sql`(${near})`;
      return Prisma.sql`(${near} AND (left(${Prisma.raw(`c.${column}`)}, 1) = ${chars[0]!}
                                    OR right(${Prisma.raw(`c.${column}`)}, 1) = ${chars.at(-1)!}))`;
    });
    return Prisma.sql`${same} OR ${Prisma.join(oneEdit, " OR ")}`;
  });
  return Prisma.sql`(${Prisma.join(perKey, " OR ")})`;
}

/**
 * Readings whose lookup finds exactly the customers the ranking matches by it (matchReading compares the same column,
 * or the card's digits in the lookup's label) — as long as the lookup was not cut off at CANDIDATE_LIMIT. Not an IP or
 * a device: the ranking matches those by a label without the value, so two IPs typed are one fact to it.
 */
const FOUND_IS_MATCHED = new Set<Reading["type"]>(["phone", "displayId", "birthDate", "phoneLast4", "cardLast4"]);

/**
 * "0123 4567" (a display ID read out in two groups): each group is also a phone's and a card's last four, a few
 * hundred customers at a million, of whom one matches both facts. Without a name, and with every fact read by lookups
 * of that kind, whoever was found through every fact is exactly who matches every fact, and the database can keep only
 * them — when there is anyone; else every candidate is a closest match and all are read, as before.
 */
function onlyCompleteWhenSomeoneIs(
  terms: SearchTerms,
  nameKeys: string[],
  options: { nameAlone?: boolean; matchingName?: string[] },
): boolean {
  return (
    terms.nameKey === null &&
    nameKeys.length === 0 &&
    !options.nameAlone &&
    !options.matchingName &&
    terms.facts.length >= 2 &&
    terms.facts.every((fact) => fact.every((reading) => FOUND_IS_MATCHED.has(reading.type)))
  );
}

/**
 * Every customer any selective reading (or the name with a birth year) points at, with what ranking needs. With
 * `matchingName`, only those whose name could match one of those keys (nameCouldMatch): for a plan that lists only
 * the customers matching every fact, the name among them. "佐藤 1985" reads 1985 also as a phone's and a card's last
 * four, about two hundred customers at a million, of whom the name leaves a few: reading and ranking the rest in Node
 * was most of what a name and a birth year cost.
 */
export async function findCandidates(
  sql: SearchSql,
  terms: SearchTerms,
  nameKeys: string[],
  options: { nameAlone?: boolean; matchingName?: string[]; everyCandidate?: boolean } = {},
): Promise<Candidate[]> {
  const sources = terms.facts.flatMap((fact, i) => fact.flatMap((reading) => readingSources(reading, i)));
  const periods = birthPeriods(terms);
  if (nameKeys.length > 0 && periods.length > 0) sources.push(...nameWithBirthSources(nameKeys, periods));
  if (nameKeys.length > 0 && options.nameAlone) sources.push(...nameSources(nameKeys));
  if (sources.length === 0) return [];
  const completeOnly = !options.everyCandidate && onlyCompleteWhenSomeoneIs(terms, nameKeys, options);
  const candidate = completeOnly
    ? Prisma.sql`SELECT customer_id, array_agg(DISTINCT found_by) AS found_by, count(DISTINCT fact) AS facts
                   FROM found GROUP BY customer_id`
    : Prisma.sql`SELECT customer_id, array_agg(DISTINCT found_by) AS found_by FROM found GROUP BY customer_id`;
  // Someone was found through every fact, and no lookup was cut off at CANDIDATE_LIMIT (where being found and being
  // matched could differ): they are the page, and the customers matching fewer facts are left in the database.
  const kept = completeOnly
    ? Prisma.sql`SELECT customer_id, found_by, verdict.someone AS only_complete
                   FROM candidate CROSS JOIN
                        (SELECT (SELECT max(facts) FROM candidate) = ${terms.facts.length}::int
                                AND NOT EXISTS (SELECT 1 FROM found GROUP BY found_by, fact
                                                 HAVING count(*) >= ${CANDIDATE_LIMIT}::int) AS someone) verdict
                  WHERE NOT verdict.someone OR facts = ${terms.facts.length}::int`
    : options.matchingName
      ? Prisma.sql`SELECT k.customer_id, k.found_by, false AS only_complete
                     FROM candidate k JOIN customer c ON c.id = k.customer_id
                    WHERE ${nameCouldMatch(options.matchingName)}`
      : Prisma.sql`SELECT customer_id, found_by, false AS only_complete FROM candidate`;
  // A phone, an email, an ID: one candidate, and the page is all of them. When the candidates are at most a page, what
  // the page shows of each comes with them, and the search needs no statement of its own for it (search-details).
  const statement = Prisma.sql`
    WITH found AS (${Prisma.join(sources, " UNION ALL ")}),
         candidate AS (${candidate}),
         kept AS (${kept}),
         few AS (SELECT count(*) <= ${PAGE_SIZE} AS yes FROM kept)
    SELECT c.id::text AS id, ${Prisma.raw(factColumns(terms))}, c.birth_date::text AS birth_date,
           c.name_key, c.kana_key, c.family_name_key, c.family_kana_key, c.given_name_key, c.given_kana_key,
           c.phone_last4,
           EXISTS (SELECT 1 FROM incident_case ic WHERE ic.customer_id = c.id AND ic.status <> 'CLOSED') AS open_case,
           k.found_by, k.only_complete, ${Prisma.raw(detailJsonWhen("few.yes"))} AS detail
      FROM kept k JOIN customer c ON c.id = k.customer_id CROSS JOIN few
      ${Prisma.raw(latestCaseJoinWhen("few.yes"))}`;
  const rows = await searchQuery<CandidateRow>(sql, statement.text, statement.values);
  const candidates: Candidate[] = rows.map((row) => ({
    id: row.id,
    displayId: row.display_id ?? "",
    phone: row.phone ?? "",
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
    ...(row.detail ? { detail: detailFromJson(row.detail)! } : {}),
  }));
  // The ranking is the judge of a match: should it disagree with the lookups about who matches every fact, the
  // candidates are read again in full, as every other search reads them.
  const matchesEvery = (c: Candidate) => matchCandidate(terms, c).matched.length === terms.facts.length;
  if (rows.some((row) => row.only_complete) && !candidates.some(matchesEvery)) {
    return findCandidates(sql, terms, nameKeys, { ...options, everyCandidate: true });
  }
  return candidates;
}

/** The rank level of a match through the name's kanji variants: that of a second form of the name (rankValues). */
export const VARIANT_LEVEL = 10;

export interface NameYearRow {
  id: string;
  /** What the page shows of the customer, read with the page (search-details). */
  detail: DetailRow | null;
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
 * the database, with how many there are. A birth month or birthday without its year ("佐藤 3月生まれ") is read the same
 * way, per birth year (bornInPeriod).
 */
export async function nameBirthPage(
  sql: SearchSql,
  key: string,
  period: BirthPeriod,
  after: string[] | null,
  take: number,
  variantKeys: string[] = [],
): Promise<{ total: number; rows: NameYearRow[] }> {
  // Level per index, as matchName orders them: full name 0, reading 1, family name (kanji or reading) 2. The name's
  // kanji variants ("斎藤 陽菜 1985" and a 齋藤 陽菜 born then) as full or family name after them, as rankValues ranks
  // a match through a second form of the name (+10: VARIANT_LEVEL), from the same indexes (ADR 092).
  const levels: [string, string[], number][] = [
    ["name_key", [key], 0],
    ["kana_key", [key], 1],
    ["family_name_key", [key], 2],
    ["family_kana_key", [key], 2],
    ...(variantKeys.length > 0
      ? ([
          ["name_key", variantKeys, VARIANT_LEVEL],
          ["family_name_key", variantKeys, VARIANT_LEVEL + 2],
        ] as [string, string[], number][])
      : []),
  ];
  const branches = levels.map(
    ([column, keys, level]) => Prisma.sql`(SELECT id, birth_date, ${level}::int AS level
                                             FROM (${bornInPeriod(column, keys, period)}) b)`,
  );
  const C = Prisma.raw(`COLLATE "C"`);
  // Sorted on the values themselves, and written as the ranking's text (rankValues) for the page's rows only: a family
  // name and a year are a thousand namesakes at a million customers, and formatting each one's sort values cost more
  // than sorting them. The orders agree: levels are under 100 (two digits), an open case sorts first as '0' and as
  // false, dates and UUIDs order as their text does.
  const statement = Prisma.sql`
    WITH found AS (SELECT id, min(level) AS level, min(birth_date) AS birth_date
                      FROM (${Prisma.join(branches, " UNION ALL ")}) s GROUP BY id),
          ranked AS (SELECT id, level, birth_date,
                            NOT EXISTS (SELECT 1 FROM incident_case ic
                                         WHERE ic.customer_id = found.id AND ic.status <> 'CLOSED') AS no_open_case
                       FROM found)
     SELECT (SELECT count(*) FROM found)::int AS total, lpad(r.level::text, 2, '0') AS level,
            CASE WHEN r.no_open_case THEN '1' ELSE '0' END AS open_case, r.birth_date::text AS page_birth_date,
            ${Prisma.raw(DETAIL_COLUMNS)}
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT * FROM ranked
          WHERE ${after}::text[] IS NULL
             OR ('00' ${C}, lpad(level::text, 2, '0') ${C}, CASE WHEN no_open_case THEN '1' ELSE '0' END ${C},
                 birth_date::text ${C}, id::text ${C})
                > ((${after}::text[])[1] ${C}, (${after}::text[])[2] ${C}, (${after}::text[])[3] ${C},
                   (${after}::text[])[4] ${C}, (${after}::text[])[5] ${C})
          ORDER BY level, no_open_case, birth_date, id
          LIMIT ${take}) r ON true
       ${Prisma.raw(detailJoin("r.id"))}
      ORDER BY r.level, r.no_open_case, r.birth_date, r.id`;
  const rows = await searchQuery<
    { total: number; level: string; open_case: string; page_birth_date: string } & DetailRow
  >(sql, statement.text, statement.values);
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id,
        rank: ["00", row.level, row.open_case, row.page_birth_date, row.id],
        level: Number(row.level),
        openCase: row.open_case === "0",
        detail: detailOf(row),
      })),
  };
}
