// `npm run seed -- --reset`: drops the wallet-side data so the replay can be seeded again. A development and demo tool:
// it empties tables whose triggers otherwise refuse DELETE and TRUNCATE (the ledger), so it runs in replica mode, in
// the caller's transaction (the seed's), and the old data survives if the new seed fails.
//
// Dropped: customers and everything that references them (devices, logins, sessions, contact changes, funding sources,
// purchases, outbound messages…), stores, incidents and their cases, the ledger (transactions, entries, wallet and
// merchant accounts). TRUNCATE … CASCADE follows foreign keys, so tables added later that hang off these go too.
// Kept: reference data (product categories, kill switches and their history, the migration history), the system ledger accounts
// (clearing:*, refund:* — same ids, balances back to 0), staff accounts (so the demo console stays usable) and the
// append-only audit log (the re-seed itself is audited).
import { query, type SqlRunner } from "~/db/sql-runner.server";

const TRUNCATED_ROOTS = [
  "customer",
  "store",
  "incident",
  "ledger_transaction",
  "ledger_entry",
  "ledger_account",
] as const;

export class ResetRefusedError extends Error {}

export async function resetReplayData(tx: SqlRunner): Promise<void> {
  await tx.query("SAVEPOINT replay_reset_role");
  try {
    await tx.query("SET LOCAL session_replication_role = replica");
    await tx.query("RELEASE SAVEPOINT replay_reset_role");
  } catch {
    await tx.query("ROLLBACK TO SAVEPOINT replay_reset_role");
    throw new ResetRefusedError(
      "reset needs permission to set session_replication_role (a superuser, or GRANT SET ON PARAMETER); the ledger refuses TRUNCATE otherwise",
    );
  }
  // ledger_account references customer, so it must be truncated with it; keep the system accounts and put them back.
  const system = await query<{ id: string; code: string; kind: string; created_at: Date }>(
    tx,
    `SELECT id, code, kind::text AS kind, created_at FROM ledger_account
      WHERE customer_id IS NULL AND (code LIKE 'clearing:%' OR code LIKE 'refund:%')`,
  );
  await tx.query(`TRUNCATE ${TRUNCATED_ROOTS.map((t) => `"${t}"`).join(", ")} CASCADE`);
  for (const account of system) {
    await tx.query(
      `INSERT INTO ledger_account (id, code, kind, balance, created_at) VALUES ($1, $2, $3::"LedgerAccountKind", 0, $4)`,
      [account.id, account.code, account.kind, account.created_at],
    );
  }
  await tx.query("SET LOCAL session_replication_role = origin");
}
