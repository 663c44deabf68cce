// Callers drawn from the bench database, and what an agent types to find them.
import type { SqlRunner } from "~/db/sql-runner.server";

export interface CallerSample {
  id: string;
  phone: string;
  email: string;
  display_id: string;
  name: string;
  name_kana: string;
  birth_date: string;
}

/** Up to `size` customers with a full name (family and given), the same ones for the same `seed`. BERNOULLI sized to
 *  the table, so that a small replay still yields a full sample (SYSTEM sampling of a small table can return no page).
 *  Ordered before the limit: the seed fixes which rows are sampled, but a parallel scan returns them in any order, so
 *  without it two runs on the same database drew different callers. */
export async function sampleCallers(
  sql: Pick<SqlRunner, "query">,
  options: { customers: number; size: number; seed: number },
): Promise<CallerSample[]> {
  const percent = Math.min(100, ((options.size * 3) / Math.max(1, options.customers)) * 100);
  const { rows } = await sql.query<CallerSample>(
    `SELECT id::text, phone, email, display_id, name, name_kana, birth_date::text AS birth_date
       FROM customer TABLESAMPLE BERNOULLI (${percent}) REPEATABLE (${options.seed})
      WHERE name LIKE '% %' ORDER BY id LIMIT ${options.size}`,
  );
  if (rows.length < 50) throw new Error(`only ${rows.length} sampled customers: seed more`);
  return rows;
}

/** A phone number as a caller reads it out: +819012345678 → 090-1234-5678. */
export function phoneAsSaid(e164: string): string {
  return `0${e164.slice(3, 5)}-${e164.slice(5, 9)}-${e164.slice(9)}`;
}

/** Katakana to hiragana, as an agent often types a reading. */
export function toHiragana(value: string): string {
  return [...value].map((c) => (c >= "ァ" && c <= "ヶ" ? String.fromCharCode(c.charCodeAt(0) - 0x60) : c)).join("");
}

/** What an agent types for the caller on the line: the ways callers identify themselves, in turn (k-th call). */
export function whatTheCallerSays(s: CallerSample, k: number): string {
  switch (k % 5) {
    case 0:
      return phoneAsSaid(s.phone);
    case 1:
      return s.display_id;
    case 2:
      return `${s.name} ${s.birth_date.slice(0, 4)}`;
    case 3:
      return `${toHiragana(s.name_kana)} ${s.phone.slice(-4)}`;
    default:
      return s.email.toUpperCase();
  }
}
