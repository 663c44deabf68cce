// What the result list shows of each customer on a page: the masked contact's source columns, status, last sign-in,
// the latest incident case, and the name keys that say how an open-case row matched. Read for the page's rows only
// (at most a page, each a few index lookups), in a statement of its own once the page is known. It is the one search
// statement PostgreSQL plans once per connection (its generic plan): read in the same statement as a broad page, it
// was planned again with every search and cost more than the round trip it saved (ADR 064).
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

const DETAIL_COLUMNS = `c.id::text AS id, c.display_id, c.name, c.name_kana, c.email, c.phone,
       extract(year FROM c.birth_date)::int AS birth_year, c.status::text AS status,
       (SELECT l.occurred_at FROM login_event l WHERE l.customer_id = c.id AND l.success
         ORDER BY l.occurred_at DESC LIMIT 1) AS last_sign_in_at,
       k.status AS case_status, k.code AS case_incident_code,
       c.name_key, c.kana_key, c.family_name_key, c.family_kana_key, c.given_name_key, c.given_kana_key`;

const DETAIL_FROM = `customer c
  LEFT JOIN LATERAL (SELECT ic.status::text AS status, i.code FROM incident_case ic
                       JOIN incident i ON i.id = ic.incident_id
                      WHERE ic.customer_id = c.id ORDER BY ic.opened_at DESC LIMIT 1) k ON true`;

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
