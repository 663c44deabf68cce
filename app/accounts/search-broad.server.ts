// The broad search: only a name (perhaps with a birth year or an email domain), which thousands may share — 佐藤 is one
// customer in twenty. The name's readings become ordered branches, best match first (exact full name, exact reading,
// family name, family-name prefix, full-name prefix, given name, then one-typo neighbours); each branch is an index
// range read in the index's own order, continued from the page link's keyset position, so a page costs about one page
// of index entries whether the name is shared by 30 customers or 50,000, and every one of them is reachable.
import type { SearchTerms } from "~/accounts/search-terms";
import type { MatchedBy } from "~/accounts/search-match";
import type { SearchCursor } from "~/accounts/search-cursor";
import { DETAIL_COLUMNS, detailJoin, detailOf, type DetailRow } from "~/accounts/search-details.server";
import { searchQuery, type SearchSql } from "~/accounts/search-sql.server";
import { Prisma } from "~/generated/prisma/client";
import { isUuid } from "~/lib/uuid";
import { byTypoLikelihood, isTypoNeighbour, typoVariants } from "~/accounts/search-typo";

const MAX_CODE_POINT = 0x10ffff;
/**
 * Counts stop here: "2,000 or more" tells the agent all they need (ask for another fact). A family name alone (佐藤:
 * 50,000 at a million customers) is counted by reading this many index entries, so the limit is most of what such a
 * search costs: at 10,000 the count alone read about 2,900 buffers, five times the rest of the page. It is not lower
 * than OPEN_CASE_REORDER_LIMIT, so that a full name's namesakes are counted exactly as far as the open-case ordering
 * needs.
 */
export const COUNT_LIMIT = 2000;

export interface Branch {
  matchedBy: MatchedBy;
  /** FROM customer c WHERE … (without the keyset condition). */
  where: Prisma.Sql;
  /** Columns of the index that serves both the filter and this order; the last one is c.id. */
  order: string[];
  /**
   * Applied when reading rows but not when counting them: customers an earlier branch lists (the open-case branch)
   * are skipped here so that no one appears twice across pages, yet still counted once, here.
   */
  readFilter?: Prisma.Sql;
  /** Rows of this branch are placed ahead of their namesakes because their incident case is open. */
  openCaseFirst?: boolean;
  /** Exact matches of one key (typed, or a typo neighbour): the open-case branch may list some of them first. */
  exact?: boolean;
  /** Counting stops here (default COUNT_LIMIT). */
  countLimit?: number;
}

/**
 * Typo neighbours are counted only this far: "サトオ" is one kana from サトウ's 50,000 customers, and counting ten
 * thousand of them for each neighbour would cost more than the rest of the search, for a number nobody needs exactly.
 */
export const TYPO_COUNT_LIMIT = 1000;

/** The customer's incident case is not closed: during an incident, the people who call. */
const OPEN_CASE = Prisma.sql`EXISTS (SELECT 1 FROM incident_case ic WHERE ic.customer_id = c.id AND ic.status <> 'CLOSED')`;
const NOT_OPEN_CASE = Prisma.sql`AND NOT ${OPEN_CASE}`;

function filters(terms: SearchTerms): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (terms.birthYear) {
    parts.push(Prisma.sql`AND c.birth_date >= make_date(${terms.birthYear}::int, 1, 1)
                          AND c.birth_date < make_date(${terms.birthYear}::int + 1, 1, 1)`);
  }
  if (terms.emailDomain) parts.push(Prisma.sql`AND c.email_domain = ${terms.emailDomain}`);
  return parts.length > 0 ? Prisma.join(parts, " ") : Prisma.empty;
}

const BY_BIRTH = ["c.birth_date", "c.id"];

/** The precise readings of a name key: exact, family name, prefixes, given name. */
export function preciseBranches(terms: SearchTerms, key: string, withFullPrefix: boolean): Branch[] {
  const upper = Prisma.sql`(${key} || chr(${MAX_CODE_POINT}))`;
  const extra = filters(terms);
  const branches: Branch[] = [
    ...exactBranches(key, extra, "name", "reading", "familyName"),
    // Strictly greater: the exact family name is the branch above, and its namesakes are skipped, not read.
    {
      matchedBy: "namePrefix",
      where: Prisma.sql`c.family_name_key > ${key} AND c.family_name_key < ${upper} ${extra}`,
      order: ["c.family_name_key", "c.birth_date", "c.id"],
    },
    {
      matchedBy: "namePrefix",
      where: Prisma.sql`c.family_kana_key > ${key} AND c.family_kana_key < ${upper}
                        AND NOT (coalesce(c.family_name_key, '') >= ${key} AND coalesce(c.family_name_key, '') < ${upper})
                        ${extra}`,
      order: ["c.family_kana_key", "c.birth_date", "c.id"],
    },
  ];
  if (withFullPrefix) {
    // A family name and the start of the given name ("佐藤翔"): only when the key is no family name's start, since
    // otherwise this range would hold every namesake the family-name branches already list.
    branches.push(
      {
        matchedBy: "namePrefix",
        where: Prisma.sql`c.name_key > ${key} AND c.name_key < ${upper} ${extra}`,
        order: ["c.name_key", "c.birth_date", "c.id"],
      },
      {
        matchedBy: "namePrefix",
        where: Prisma.sql`c.kana_key > ${key} AND c.kana_key < ${upper}
                          AND NOT (c.name_key > ${key} AND c.name_key < ${upper}) ${extra}`,
        order: ["c.kana_key", "c.birth_date", "c.id"],
      },
    );
  }
  branches.push(
    {
      matchedBy: "givenName",
      where: Prisma.sql`c.given_name_key >= ${key} AND c.given_name_key < ${upper}
                        AND c.family_name_key IS DISTINCT FROM ${key} AND c.family_kana_key IS DISTINCT FROM ${key}
                        ${extra}`,
      order: ["c.given_name_key", "c.id"],
    },
    {
      matchedBy: "givenName",
      where: Prisma.sql`c.given_kana_key >= ${key} AND c.given_kana_key < ${upper}
                        AND NOT (coalesce(c.given_name_key, '') >= ${key} AND coalesce(c.given_name_key, '') < ${upper})
                        AND c.family_name_key IS DISTINCT FROM ${key} AND c.family_kana_key IS DISTINCT FROM ${key}
                        ${extra}`,
      order: ["c.given_kana_key", "c.id"],
    },
  );
  return branches;
}

/** Exact matches of one key as full name, reading, family name and family reading. */
function exactBranches(key: string, extra: Prisma.Sql, full: MatchedBy, reading: MatchedBy, family: MatchedBy) {
  const branches: Branch[] = [
    { matchedBy: full, where: Prisma.sql`c.name_key = ${key} ${extra}`, order: BY_BIRTH },
    { matchedBy: reading, where: Prisma.sql`c.kana_key = ${key} AND c.name_key <> ${key} ${extra}`, order: BY_BIRTH },
    { matchedBy: family, where: Prisma.sql`c.family_name_key = ${key} ${extra}`, order: BY_BIRTH },
    {
      matchedBy: family,
      where: Prisma.sql`c.family_kana_key = ${key} AND c.family_name_key IS DISTINCT FROM ${key} ${extra}`,
      order: BY_BIRTH,
    },
  ];
  return branches.map((branch) => ({ ...branch, exact: true }));
}

/**
 * The exact matches of several forms of one name that customers hold ("ono": オノ, オオノ), when the name as typed
 * matches nobody: full names of every form first, then readings, then family names, then (a name of one part) given
 * names, each level in the forms' order of preference. A customer is listed and counted in the first branch that
 * holds them only ("鵜飼 翔太" and its reading ウカイ ショウタ are the same people). Each branch is an equality on a
 * name index, so the page and count statements read about a page of index entries per branch (ADR 081).
 */
export function otherFormBranches(terms: SearchTerms, keys: string[], onePart: boolean): Branch[] {
  const extra = filters(terms);
  const exact: { matchedBy: MatchedBy; column: string }[] = [
    { matchedBy: "name", column: "name_key" },
    { matchedBy: "reading", column: "kana_key" },
    { matchedBy: "familyName", column: "family_name_key" },
    { matchedBy: "familyName", column: "family_kana_key" },
  ];
  const given = [
    { matchedBy: "givenName" as const, column: "given_name_key" },
    { matchedBy: "givenName" as const, column: "given_kana_key" },
  ];
  const layout = [
    ...exact.flatMap((level) => keys.map((key) => ({ ...level, key, exact: true }))),
    ...(onePart ? keys.flatMap((key) => given.map((level) => ({ ...level, key, exact: false }))) : []),
  ];
  return layout.map(({ matchedBy, column, key, exact: isExact }, i) => {
    const earlier = layout
      .slice(0, i)
      .map((before) => Prisma.sql`coalesce(c.${Prisma.raw(before.column)} = ${before.key}, false)`);
    const notEarlier = earlier.length > 0 ? Prisma.sql`AND NOT (${Prisma.join(earlier, " OR ")})` : Prisma.empty;
    return {
      matchedBy,
      where: Prisma.sql`c.${Prisma.raw(column)} = ${key} ${notEarlier} ${extra}`,
      order: isExact ? BY_BIRTH : [`c.${column}`, "c.id"],
      exact: isExact,
    };
  });
}

/**
 * The exact matches of the name's kanji variants (高橋 typed, 髙橋 stored): full name and family name, and for a one-part
 * name the given name, each an equality on a name index. Listed after the name as typed's exact matches, which hold
 * other customers (ADR 086).
 */
export function kanjiVariantBranches(terms: SearchTerms, keys: string[], onePart: boolean): Branch[] {
  if (keys.length === 0) return [];
  const extra = filters(terms);
  const branches: Branch[] = [
    {
      matchedBy: "nameVariant",
      where: Prisma.sql`c.name_key = ANY(${keys}::text[]) ${extra}`,
      order: ["c.name_key", ...BY_BIRTH],
    },
    {
      matchedBy: "nameVariant",
      where: Prisma.sql`c.family_name_key = ANY(${keys}::text[]) ${extra}`,
      order: ["c.family_name_key", ...BY_BIRTH],
    },
  ];
  if (onePart) {
    branches.push({
      matchedBy: "nameVariant",
      where: Prisma.sql`c.given_name_key = ANY(${keys}::text[])
                        AND NOT coalesce(c.family_name_key = ANY(${keys}::text[]), false) ${extra}`,
      order: ["c.given_name_key", "c.id"],
    });
  }
  return branches;
}

/** A typed key's one-typo neighbours that exist: exact matches on each, as full names and as family names. */
export function typoBranches(terms: SearchTerms, typoKeys: string[]): Branch[] {
  const extra = filters(terms);
  return typoKeys.flatMap((key) =>
    exactBranches(key, extra, "similarName", "similarName", "similarName").map((branch) => ({
      ...branch,
      countLimit: TYPO_COUNT_LIMIT,
    })),
  );
}

/**
 * Among namesakes, customers whose incident case is open come first: during an incident they are most of the callers,
 * and the page says why they lead. Only when the exact branches (of the typed key, or of its one-typo neighbours when
 * it matches nobody) hold at most this many customers — a full name's namesakes, not a family name's 50,000 — since
 * finding which of them have an open case reads each one's index entry.
 */
export const OPEN_CASE_REORDER_LIMIT = 2000;

/**
 * Puts an open-case branch first, listing the customers of the exact branches whose incident case is open, and makes
 * those branches skip them when reading (not when counting: the branch adds no one, so the total stays right).
 * Unchanged when the exact branches hold nobody or more than OPEN_CASE_REORDER_LIMIT customers.
 */
export function withOpenCaseFirst(
  terms: SearchTerms,
  keys: string[],
  branches: Branch[],
  counts: number[],
): { branches: Branch[]; counts: number[] } {
  const namesakes = counts.reduce((sum, count, i) => (branches[i]!.exact ? sum + count : sum), 0);
  // A count that reached its limit is a lower bound: that many or more.
  const capped = counts.some((count, i) => branches[i]!.exact && count >= (branches[i]!.countLimit ?? COUNT_LIMIT));
  if (keys.length === 0 || namesakes === 0 || capped || namesakes > OPEN_CASE_REORDER_LIMIT) {
    return { branches, counts };
  }
  // The namesakes' ids come from the (key, birth_date, id) indexes alone and meet the open cases in a hash: a few
  // hundred index entries, never the namesakes' rows.
  const namesakeIds = Prisma.join(
    ["name_key", "kana_key", "family_name_key", "family_kana_key"].map(
      (column) => Prisma.sql`SELECT id FROM customer WHERE ${Prisma.raw(column)} = ANY(${keys}::text[])`,
    ),
    " UNION ALL ",
  );
  const openCase: Branch = {
    matchedBy: "similarName",
    openCaseFirst: true,
    where: Prisma.sql`c.id IN (SELECT ic.customer_id FROM incident_case ic
                                WHERE ic.status <> 'CLOSED' AND ic.customer_id IN (${namesakeIds}))
                      ${filters(terms)}`,
    order: BY_BIRTH,
  };
  return {
    branches: [
      openCase,
      ...branches.map((branch) => (branch.exact ? { ...branch, readFilter: NOT_OPEN_CASE } : branch)),
    ],
    counts: [0, ...counts],
  };
}

/**
 * The keys one edit from `typed` (typoNeighbours' rule: substitution, insertion, deletion or swap for katakana,
 * deletion or swap for other scripts) that exist as a full-name or family-name key. Keys within one edit share a
 * variant (the key, or the key with one character removed: search_name_variant, migration 20261208d00000), so the
 * typed key's own variants — one per character, plus itself — find every such key with as many probes, instead of
 * probing the name indexes for each of the ~1,300 keys one kana away. Each key found is then checked against the
 * name indexes, as before: katakana keys on the reading columns, others on the kanji columns; a name typed with a
 * space (family and given name) is a full name, and its neighbours are checked as full names only. The variants also
 * find keys two edits away (a deletion at two different places): those are dropped here. The keys come most likely
 * meant first (byTypoLikelihood: a voicing mark or a vowel slip before an unrelated kana), the order their namesakes
 * are listed in.
 */
export async function existingTypoKeys(sql: SearchSql, typed: string, fullNameOnly = false): Promise<string[]> {
  const variants = typoVariants(typed);
  if (variants.length === 0) return [];
  const rows = await searchQuery<{ key: string }>(
    sql,
    `SELECT n.key FROM (SELECT DISTINCT key FROM search_name_variant WHERE variant = ANY($1::text[]) AND key <> $2) n
      WHERE CASE WHEN n.key ~ '^[\u30a1-\u30fc]+$'
                 THEN EXISTS (SELECT 1 FROM customer WHERE kana_key = n.key)
                      OR (NOT $3 AND EXISTS (SELECT 1 FROM customer WHERE family_kana_key = n.key))
                 ELSE EXISTS (SELECT 1 FROM customer WHERE name_key = n.key)
                      OR (NOT $3 AND EXISTS (SELECT 1 FROM customer WHERE family_name_key = n.key)) END
      ORDER BY n.key COLLATE "default"`,
    [variants, typed, fullNameOnly],
  );
  return byTypoLikelihood(
    typed,
    rows.map((row) => row.key).filter((key) => isTypoNeighbour(typed, key)),
  );
}

function countOf(branch: Branch): Prisma.Sql {
  return Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM customer c WHERE ${branch.where} LIMIT ${branch.countLimit ?? COUNT_LIMIT}) x)::int`;
}

/**
 * The precise branches of a name key and their counts, in one statement. Family-name branches are 2–5: when they all
 * count 0, the key may be a family name and the start of the given name ("佐藤翔"), which only the two full-name
 * prefix branches find; they are then counted too (placed after the sixth), and otherwise neither counted nor listed,
 * since their range would hold every namesake the family-name branches already list. The CASE counts them only when
 * needed; OFFSET 0 keeps the other counts from being computed twice.
 */
export async function countPreciseBranches(
  sql: SearchSql,
  terms: SearchTerms,
  key: string,
  variants: Branch[] = [],
): Promise<{ branches: Branch[]; counts: number[]; variantCounts: number[] }> {
  const all = preciseBranches(terms, key, true);
  const always = all.map((branch, i) => ({ branch, i })).filter(({ i }) => i < 6 || i >= 8);
  const inner = [
    ...always.map(({ branch, i }) => Prisma.sql`${countOf(branch)} AS ${Prisma.raw(`b${i}`)}`),
    ...variants.map((branch, i) => Prisma.sql`${countOf(branch)} AS ${Prisma.raw(`v${i}`)}`),
  ];
  const statement = Prisma.sql`
    SELECT p.*,
           CASE WHEN p.b2 + p.b3 + p.b4 + p.b5 = 0 THEN ${countOf(all[6]!)} ELSE -1 END AS b6,
           CASE WHEN p.b2 + p.b3 + p.b4 + p.b5 = 0 THEN ${countOf(all[7]!)} ELSE -1 END AS b7
      FROM (SELECT ${Prisma.join(inner, ", ")} OFFSET 0) p`;
  const row = (await searchQuery<Record<string, number>>(sql, statement.text, statement.values))[0] ?? {};
  const withPrefix = Number(row.b6 ?? -1) >= 0;
  const branches = withPrefix ? all : all.filter((_, i) => i < 6 || i >= 8);
  const indices = withPrefix ? all.map((_, i) => i) : always.map(({ i }) => i);
  return {
    branches,
    counts: indices.map((i) => Number(row[`b${i}`] ?? 0)),
    variantCounts: variants.map((_, i) => Number(row[`v${i}`] ?? 0)),
  };
}

/** The kanji-variant branches placed right after the name's four exact branches (of the name as typed). */
export function withVariantsAfterExact(
  precise: { branches: Branch[]; counts: number[] },
  variants: Branch[],
  variantCounts: number[],
): { branches: Branch[]; counts: number[] } {
  return {
    branches: [...precise.branches.slice(0, 4), ...variants, ...precise.branches.slice(4)],
    counts: [...precise.counts.slice(0, 4), ...variantCounts, ...precise.counts.slice(4)],
  };
}

/** How many customers each branch holds, each count stopping at its limit (COUNT_LIMIT unless it says). */
export async function countBranches(sql: SearchSql, branches: Branch[]): Promise<number[]> {
  if (branches.length === 0) return [];
  const columns = branches.map((branch, i) => Prisma.sql`${countOf(branch)} AS ${Prisma.raw(`b${i}`)}`);
  const statement = Prisma.sql`SELECT ${Prisma.join(columns, ", ")}`;
  const rows = await searchQuery<Record<string, number>>(sql, statement.text, statement.values);
  return branches.map((_, i) => Number(rows[0]?.[`b${i}`] ?? 0));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A page link names a position in one branch: its values must fit that branch's columns, or it is not ours. */
export function cursorFits(branches: Branch[], cursor: SearchCursor): boolean {
  const branch = branches[cursor.b];
  if (!branch || cursor.v.length !== branch.order.length) return false;
  return branch.order.every((column, i) => {
    const value = cursor.v[i]!;
    if (column === "c.birth_date") {
      // Strict: PostgreSQL refuses 1985-02-31, so it must never get that far.
      const date = new Date(`${value}T00:00:00Z`);
      return ISO_DATE.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
    }
    if (column === "c.id") return isUuid(value);
    return !value.includes("\u0000");
  });
}

function keysetCondition(branch: Branch, values: string[]): Prisma.Sql {
  // Row comparison on the index's own columns: the scan starts right after the last row shown.
  const casts = branch.order.map((column, i) => {
    const value = values[i] ?? "";
    if (column === "c.birth_date") return Prisma.sql`${value}::date`;
    if (column === "c.id") return Prisma.sql`${value}::uuid`;
    return Prisma.sql`${value}::text COLLATE "C"`;
  });
  return Prisma.sql`AND (${Prisma.raw(branch.order.join(", "))}) > (${Prisma.join(casts, ", ")})`;
}

interface PageRow {
  customer_id: string;
  branch: number;
  sort_values: string[];
}

/** The next `take` customers after `cursor`, branch by branch, each branch read in its index order. */
export async function readBranchPage(
  sql: SearchSql,
  branches: Branch[],
  cursor: SearchCursor | null,
  take: number,
): Promise<{ customerId: string; branch: number; sortValues: string[]; detail: DetailRow | null }[]> {
  const parts: Prisma.Sql[] = [];
  branches.forEach((branch, i) => {
    if (cursor && i < cursor.b) return;
    const after = cursor && i === cursor.b ? keysetCondition(branch, cursor.v) : Prisma.empty;
    const values = branch.order.map((column) => Prisma.raw(`${column}::text`));
    parts.push(Prisma.sql`(SELECT c.id AS customer_id, ${i}::int AS branch, ARRAY[${Prisma.join(values, ", ")}] AS sort_values,
                                  row_number() OVER () AS pos
                             FROM (SELECT * FROM customer c WHERE ${branch.where} ${branch.readFilter ?? Prisma.empty} ${after}
                                    ORDER BY ${Prisma.raw(branch.order.join(", "))} LIMIT ${take}) c)`);
  });
  if (parts.length === 0) return [];
  // The page's rows with what the page shows of each: one statement, not a second round trip (search-details).
  const statement = Prisma.sql`SELECT hits.customer_id::text, hits.branch, hits.sort_values, ${Prisma.raw(DETAIL_COLUMNS)}
                                 FROM (SELECT * FROM (${Prisma.join(parts, " UNION ALL ")}) u
                                        ORDER BY branch, pos LIMIT ${take}) hits
                                 ${Prisma.raw(detailJoin("hits.customer_id"))}
                                ORDER BY hits.branch, hits.pos`;
  const rows = await searchQuery<PageRow & DetailRow>(sql, statement.text, statement.values);
  return rows.map((row) => ({
    customerId: row.customer_id,
    branch: Number(row.branch),
    sortValues: row.sort_values,
    detail: detailOf(row),
  }));
}
