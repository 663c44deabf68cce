// Intake rows that vanished before they were sealed (docs/decisions/049-intake-numbers-and-a-cheaper-seal.md). Every
// intake row takes the next number of its writer slot in its writer's own transaction, so the committed numbers of a
// slot run 1..taken; the sealer counts per slot what it moved into the chain. In one snapshot, taken = sealed + rows
// still in the intake. A slot where fewer are accounted for lost committed rows: their numbers are named.
import type { SqlRunner } from "~/db/migrations.server";

export interface MissingIntakeRows {
  slot: number;
  taken: bigint;
  accountedFor: bigint;
  /** The first missing numbers of the slot (at most MAX_NAMED). */
  missing: bigint[];
}

const MAX_NAMED = 20;

/** Slots whose counters disagree with what the chain and the intake hold. Cheap: one row per writer slot. */
export async function findMissingIntakeRows(sql: Pick<SqlRunner, "query">): Promise<MissingIntakeRows[]> {
  // One statement, so one snapshot: a row being sealed is in exactly one of the two tables, and a writer's counter
  // commits with its row.
  const { rows } = await sql.query<{ slot: number; taken: string; accounted: string }>(
    `SELECT c.slot, c.taken::text AS taken,
            (coalesce(s.sealed, 0) + coalesce(i.pending, 0))::text AS accounted
       FROM audit_intake_counter c
       LEFT JOIN audit_intake_sealed s ON s.slot = c.slot
       LEFT JOIN (SELECT slot, count(*) AS pending FROM audit_intake GROUP BY slot) i ON i.slot = c.slot
      WHERE c.taken <> coalesce(s.sealed, 0) + coalesce(i.pending, 0)
      ORDER BY c.slot`,
  );
  const result: MissingIntakeRows[] = [];
  for (const row of rows) {
    // Only for a slot that is already wrong: which numbers are neither chained nor waiting.
    const { rows: missing } = await sql.query<{ no: string }>(
      `SELECT m.no::text AS no
         FROM (SELECT n AS no FROM generate_series(1::bigint, $2::bigint) AS n
               EXCEPT SELECT intake_no FROM audit_event WHERE intake_slot = $1
               EXCEPT SELECT slot_no FROM audit_intake WHERE slot = $1) m
        ORDER BY m.no LIMIT ${MAX_NAMED}`,
      [row.slot, row.taken],
    );
    result.push({
      slot: row.slot,
      taken: BigInt(row.taken),
      accountedFor: BigInt(row.accounted),
      missing: missing.map((m) => BigInt(m.no)),
    });
  }
  return result;
}
