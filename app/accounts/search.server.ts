// The caller search: every reading of the query (search-query.server.ts) becomes one bounded index lookup, all in one
// statement, ranked exact identifiers → exact name → name prefix → given-name prefix; fuzzy (trigram) names only when
// those found no one. Pagination is a bounded offset: each branch reads at most offset + page size + 1 rows, so a
// page costs the same whether a family name matches 30 accounts or 30,000. See
// docs/decisions/011-search-normalisation-and-indexes.md.
import type { SearchTerms } from "~/accounts/search-query.server";
import type { SqlRunner } from "~/db/migrations.server";
import { Prisma } from "~/generated/prisma/client";

export type SearchSql = Pick<SqlRunner, "query">;

export const PAGE_SIZE = 20;
/** Ten pages: past that the agent should add a given name or a birth year, not page on. */
export const MAX_PAGES = 10;
/** Below this many characters a trigram lookup has too few trigrams to be selective: no fuzzy matching. */
const MIN_FUZZY_KEY_LENGTH = 3;
/** The largest code point: key || it is an upper bound for every string that starts with key (byte order, C). */
const MAX_CODE_POINT = 0x10ffff;

export type MatchedBy =
  | "phone"
  | "email"
  | "displayId"
  | "customerId"
  | "deviceId"
  | "fingerprint"
  | "ip"
  | "name"
  | "namePrefix"
  | "givenName"
  | "similarName";

export interface SearchHit {
  id: string;
  displayId: string;
  name: string;
  nameKana: string;
  email: string;
  phone: string;
  birthYear: number;
  status: string;
  lastSignInAt: Date | null;
  caseStatus: string | null;
  caseIncidentCode: string | null;
  matchedBy: MatchedBy;
}

export interface SearchPage {
  hits: SearchHit[];
  page: number;
  hasMore: boolean;
  /** True when the last allowed page is full: the agent should narrow the search. */
  truncated: boolean;
}

function birthFilter(terms: SearchTerms): Prisma.Sql {
  if (terms.birthDate) return Prisma.sql`AND c.birth_date = ${terms.birthDate}::date`;
  if (terms.birthYear) {
    return Prisma.sql`AND c.birth_date >= make_date(${terms.birthYear}::int, 1, 1)
                      AND c.birth_date < make_date(${terms.birthYear}::int + 1, 1, 1)`;
  }
  return Prisma.empty;
}

/**
 * One SELECT of a reading: `idColumn` FROM `source` (FROM … WHERE …, optionally GROUP BY) in `order`, at most `limit`
 * rows. row_number() over that same order is the hit's position within its branch, so pages are stable.
 */
function branch(
  rank: number,
  id: number,
  matchedBy: MatchedBy,
  idColumn: string,
  source: Prisma.Sql,
  order: Prisma.Sql,
  limit: number,
): Prisma.Sql {
  return Prisma.sql`(SELECT ${Prisma.raw(idColumn)} AS customer_id, ${rank}::int AS rank, ${id}::int AS branch,
                            row_number() OVER (ORDER BY ${order}) AS pos, ${matchedBy}::text AS matched_by
                       ${source}
                      ORDER BY ${order} LIMIT ${limit})`;
}

/** One SELECT per reading of the query; each is an index lookup bounded by `limit`. */
function branches(terms: SearchTerms, limit: number): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  const byId = Prisma.sql`c.id`;
  if (terms.phone) {
    out.push(branch(0, 1, "phone", "c.id", Prisma.sql`FROM customer c WHERE c.phone = ${terms.phone}`, byId, limit));
  }
  if (terms.email) {
    const source = Prisma.sql`FROM customer c WHERE c.email_key = lower(normalize(${terms.email}, NFKC))`;
    out.push(branch(0, 2, "email", "c.id", source, byId, limit));
  }
  if (terms.displayIds.length > 0) {
    const source = Prisma.sql`FROM customer c WHERE c.display_id IN (${Prisma.join(terms.displayIds)})`;
    out.push(branch(0, 3, "displayId", "c.id", source, byId, limit));
  }
  if (terms.uuid) {
    out.push(
      branch(0, 4, "customerId", "c.id", Prisma.sql`FROM customer c WHERE c.id = ${terms.uuid}::uuid`, byId, limit),
    );
    const device = Prisma.sql`FROM device d WHERE d.id = ${terms.uuid}::uuid`;
    out.push(branch(0, 5, "deviceId", "d.customer_id", device, Prisma.sql`d.customer_id`, limit));
  }
  if (terms.fingerprint) {
    const source = Prisma.sql`FROM device d WHERE d.fingerprint_key = ${terms.fingerprint}`;
    out.push(
      branch(0, 6, "fingerprint", "d.customer_id", source, Prisma.sql`d.first_seen_at DESC, d.customer_id`, limit),
    );
  }
  if (terms.ip) {
    const source = Prisma.sql`FROM login_event l WHERE l.ip = ${terms.ip} GROUP BY l.customer_id`;
    out.push(branch(0, 7, "ip", "l.customer_id", source, Prisma.sql`max(l.occurred_at) DESC, l.customer_id`, limit));
  }
  if (terms.name) {
    const key = Prisma.sql`firebreak_search_key(${terms.name})`;
    const upper = Prisma.sql`(firebreak_search_key(${terms.name}) || chr(${MAX_CODE_POINT}))`;
    const birth = birthFilter(terms);
    const exact = (column: Prisma.Sql) => Prisma.sql`FROM customer c WHERE ${column} = ${key} ${birth}`;
    const prefix = (column: Prisma.Sql) =>
      Prisma.sql`FROM customer c WHERE ${column} >= ${key} AND ${column} < ${upper} ${birth}`;
    const [name, kana, given, givenKana] = [
      Prisma.raw("c.name_key"),
      Prisma.raw("c.kana_key"),
      Prisma.raw("c.given_name_key"),
      Prisma.raw("c.given_kana_key"),
    ];
    out.push(branch(1, 10, "name", "c.id", exact(name), byId, limit));
    out.push(branch(1, 11, "name", "c.id", exact(kana), byId, limit));
    out.push(branch(2, 12, "namePrefix", "c.id", prefix(name), Prisma.sql`${name}, c.id`, limit));
    out.push(branch(2, 13, "namePrefix", "c.id", prefix(kana), Prisma.sql`${kana}, c.id`, limit));
    out.push(branch(3, 14, "givenName", "c.id", prefix(given), Prisma.sql`${given}, c.id`, limit));
    out.push(branch(3, 15, "givenName", "c.id", prefix(givenKana), Prisma.sql`${givenKana}, c.id`, limit));
  }
  return out;
}

function fuzzyBranches(terms: SearchTerms, limit: number): Prisma.Sql[] {
  if (!terms.name || !terms.nameKey || [...terms.nameKey].length < MIN_FUZZY_KEY_LENGTH) return [];
  const key = Prisma.sql`firebreak_search_key(${terms.name})`;
  const birth = birthFilter(terms);
  // `%` is pg_trgm's similarity operator (threshold pg_trgm.similarity_threshold, 0.3): the GIN index answers it.
  const similar = (column: Prisma.Sql) => Prisma.sql`FROM customer c WHERE ${column} % ${key} ${birth}`;
  const order = (column: Prisma.Sql) => Prisma.sql`similarity(${column}, ${key}) DESC, c.id`;
  const [name, kana] = [Prisma.raw("c.name_key"), Prisma.raw("c.kana_key")];
  return [
    branch(4, 16, "similarName", "c.id", similar(name), order(name), limit),
    branch(4, 17, "similarName", "c.id", similar(kana), order(kana), limit),
  ];
}

interface DetailRow {
  id: string;
  display_id: string;
  name: string;
  name_kana: string;
  email: string;
  phone: string;
  birth_year: number;
  status: string;
  last_sign_in_at: Date | null;
  case_status: string | null;
  case_incident_code: string | null;
  matched_by: MatchedBy;
}

/** Best reading per customer, in rank order, one page of it, with what the result list shows. */
function pageStatement(parts: Prisma.Sql[], offset: number, take: number): Prisma.Sql {
  return Prisma.sql`
    WITH hits AS (${Prisma.join(parts, " UNION ALL ")}),
         best AS (SELECT DISTINCT ON (customer_id) customer_id, rank, branch, pos, matched_by
                    FROM hits ORDER BY customer_id, rank, branch, pos),
         page AS (SELECT * FROM best ORDER BY rank, branch, pos, customer_id OFFSET ${offset} LIMIT ${take})
    SELECT c.id::text AS id, c.display_id, c.name, c.name_kana, c.email, c.phone,
           extract(year FROM c.birth_date)::int AS birth_year, c.status::text AS status,
           (SELECT l.occurred_at FROM login_event l WHERE l.customer_id = c.id AND l.success
             ORDER BY l.occurred_at DESC LIMIT 1) AS last_sign_in_at,
           k.status AS case_status, k.code AS case_incident_code, p.matched_by
      FROM page p
      JOIN customer c ON c.id = p.customer_id
      LEFT JOIN LATERAL (SELECT ic.status::text AS status, i.code FROM incident_case ic
                           JOIN incident i ON i.id = ic.incident_id
                          WHERE ic.customer_id = c.id ORDER BY ic.opened_at DESC LIMIT 1) k ON true
     ORDER BY p.rank, p.branch, p.pos, p.customer_id`;
}

// On the driver, not through Prisma: the statement is built with Prisma.sql (parameters stay parameters) and run
// directly, which saves Prisma's per-call overhead on the console's most frequent query.
async function runBranches(sql: SearchSql, parts: Prisma.Sql[], offset: number, take: number): Promise<DetailRow[]> {
  if (parts.length === 0) return [];
  const statement = pageStatement(parts, offset, take);
  return (await sql.query<DetailRow>(statement.text, statement.values)).rows;
}

/**
 * The statements searchCustomers runs for a page, in order: the precise one, and the one with fuzzy names that it runs
 * instead when the precise one matched no one. For the benchmark, which runs the same SQL directly to measure what the
 * HTTP path adds.
 */
export function searchStatements(
  terms: SearchTerms,
  page = 1,
): { precise: Prisma.Sql | null; withFuzzy: Prisma.Sql | null } {
  const safePage = Math.min(Math.max(1, Math.floor(page)), MAX_PAGES);
  const offset = (safePage - 1) * PAGE_SIZE;
  const limit = offset + PAGE_SIZE + 1;
  const precise = branches(terms, limit);
  const fuzzy = fuzzyBranches(terms, limit);
  return {
    precise: precise.length > 0 ? pageStatement(precise, offset, PAGE_SIZE + 1) : null,
    withFuzzy: fuzzy.length > 0 ? pageStatement([...precise, ...fuzzy], offset, PAGE_SIZE + 1) : null,
  };
}

function toHit(row: DetailRow): SearchHit {
  return {
    id: row.id,
    displayId: row.display_id,
    name: row.name,
    nameKana: row.name_kana,
    email: row.email,
    phone: row.phone,
    birthYear: Number(row.birth_year),
    status: row.status,
    lastSignInAt: row.last_sign_in_at,
    caseStatus: row.case_status,
    caseIncidentCode: row.case_incident_code,
    matchedBy: row.matched_by,
  };
}

/** Pages are 1-based; past MAX_PAGES the caller gets a clear "narrow it down" instead of a deeper scan. */
export async function searchCustomers(db: SearchSql, terms: SearchTerms, page = 1): Promise<SearchPage> {
  const safePage = Math.min(Math.max(1, Math.floor(page)), MAX_PAGES);
  const offset = (safePage - 1) * PAGE_SIZE;
  const limit = offset + PAGE_SIZE + 1; // one more than the page, to know whether there is a next one
  const precise = branches(terms, limit);
  let rows = await runBranches(db, precise, offset, PAGE_SIZE + 1);
  // Similar names are a fallback for a name nobody has ("did you mean"), run only when the precise readings match no
  // one at all. A trigram lookup with a common surname reads thousands of candidates (≈ 80 ms on a million customers);
  // running it whenever a page was short made "name + birth year" the slowest search on the console. Deciding on the
  // whole result (not this page) keeps pages consistent: the list is either the precise matches or the fuzzy ones.
  if (rows.length === 0) {
    const fuzzy = fuzzyBranches(terms, limit);
    const noPreciseMatch = safePage === 1 || (await runBranches(db, precise, 0, 1)).length === 0;
    if (fuzzy.length > 0 && noPreciseMatch) rows = await runBranches(db, [...precise, ...fuzzy], offset, PAGE_SIZE + 1);
  }
  const hasMore = rows.length > PAGE_SIZE;
  return {
    hits: rows.slice(0, PAGE_SIZE).map(toHit),
    page: safePage,
    hasMore: hasMore && safePage < MAX_PAGES,
    truncated: hasMore && safePage === MAX_PAGES,
  };
}
