// What the result list shows of each customer on a page: the masked contact's source columns, status, last sign-in,
// the latest incident case, and the name keys that say how an open-case row matched. Read for the page's rows only
// (at most a page, each a few index lookups). The plans that read their page in the database (a name's branches, a
// name and when the caller was born) read these columns in the same statement (detailJoin), since the search's
// connections force generic plans and the merged statement is planned once per connection (ADR 064 undid an earlier
// merge when PostgreSQL re-planned it every time; ADR 110). The narrow plans, which rank candidates in Node, get them
// with the candidates when those are at most a page (detailJsonWhen: an identifier's one customer); otherwise they
// read them in a statement of their own once the page is known (loadDetails).
import { searchQuery, type SearchSql } from "~/accounts/search-sql.server";

export interface DetailRow {
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
  name_key: string | null;
  kana_key: string | null;
  family_name_key: string | null;
  family_kana_key: string | null;
  given_name_key: string | null;
  given_kana_key: string | null;
}

/** The columns of a DetailRow, of the customer `c` and its latest case `k` (detailJoin). */
export const DETAIL_COLUMNS = `c.id::text AS id, c.display_id, c.name, c.name_kana, c.email, c.phone,
       extract(year FROM c.birth_date)::int AS birth_year, c.status::text AS status,
       (SELECT l.occurred_at FROM login_event l WHERE l.customer_id = c.id AND l.success
         ORDER BY l.occurred_at DESC LIMIT 1) AS last_sign_in_at,
       k.status AS case_status, k.code AS case_incident_code,
       c.name_key, c.kana_key, c.family_name_key, c.family_kana_key, c.given_name_key, c.given_kana_key`;

const LATEST_CASE = `LEFT JOIN LATERAL (SELECT ic.status::text AS status, i.code FROM incident_case ic
                       JOIN incident i ON i.id = ic.incident_id
                      WHERE ic.customer_id = c.id ORDER BY ic.opened_at DESC LIMIT 1) k ON true`;

const DETAIL_FROM = `customer c ${LATEST_CASE}`;

/** Joins a page's rows, whose customer id is `idColumn`, to what DETAIL_COLUMNS reads (a missing row: all NULL). */
export function detailJoin(idColumn: string): string {
  return `LEFT JOIN customer c ON c.id = ${idColumn} ${LATEST_CASE}`;
}

/** The details read with a page's row (DETAIL_COLUMNS), or null for a row with no customer. */
export function detailOf(row: DetailRow): DetailRow | null {
  if (row.id === null) return null;
  return {
    id: row.id,
    display_id: row.display_id,
    name: row.name,
    name_kana: row.name_kana,
    email: row.email,
    phone: row.phone,
    birth_year: row.birth_year,
    status: row.status,
    last_sign_in_at: row.last_sign_in_at,
    case_status: row.case_status,
    case_incident_code: row.case_incident_code,
    name_key: row.name_key,
    kana_key: row.kana_key,
    family_name_key: row.family_name_key,
    family_kana_key: row.family_kana_key,
    given_name_key: row.given_name_key,
    given_kana_key: row.given_kana_key,
  };
}

/**
 * DETAIL_COLUMNS as one JSON value of the customer `c`, when `when` holds (else NULL): for a narrow search's
 * candidates, read with them when they are few enough to be the page (detailFromJson reads it back).
 */
export function detailJsonWhen(when: string): string {
  return `CASE WHEN ${when} THEN json_build_object(
       'id', c.id::text, 'display_id', c.display_id, 'name', c.name, 'name_kana', c.name_kana, 'email', c.email,
       'phone', c.phone, 'birth_year', extract(year FROM c.birth_date)::int, 'status', c.status::text,
       'last_sign_in_at', (SELECT l.occurred_at FROM login_event l WHERE l.customer_id = c.id AND l.success
                            ORDER BY l.occurred_at DESC LIMIT 1),
       'case_status', lc.status, 'case_incident_code', lc.code,
       'name_key', c.name_key, 'kana_key', c.kana_key, 'family_name_key', c.family_name_key,
       'family_kana_key', c.family_kana_key, 'given_name_key', c.given_name_key, 'given_kana_key', c.given_kana_key)
     END`;
}

/** The latest case of `c` as `lc`, read only when `when` holds (detailJsonWhen's case columns). */
export function latestCaseJoinWhen(when: string): string {
  return `LEFT JOIN LATERAL (SELECT ic.status::text AS status, i.code FROM incident_case ic
                              JOIN incident i ON i.id = ic.incident_id
                             WHERE ${when} AND ic.customer_id = c.id ORDER BY ic.opened_at DESC LIMIT 1) lc ON true`;
}

/** detailJsonWhen's value as a DetailRow (its timestamp arrives as JSON text). */
export function detailFromJson(json: (Omit<DetailRow, "last_sign_in_at"> & { last_sign_in_at: string | null }) | null) {
  if (json === null) return null;
  return { ...json, last_sign_in_at: json.last_sign_in_at === null ? null : new Date(json.last_sign_in_at) };
}

/** The details of the customers `ids`, by id. */
export async function loadDetails(sql: SearchSql, ids: string[]): Promise<Map<string, DetailRow>> {
  if (ids.length === 0) return new Map();
  const rows = await searchQuery<DetailRow>(
    sql,
    `SELECT ${DETAIL_COLUMNS} FROM ${DETAIL_FROM} WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}
