// The one grant step that follows every migration run when the console connects as a separate runtime role
// (docs/decisions/028-database-roles.md). Run by the owner role; idempotent.
//
// Every table gets ordinary DML (so tables added by later migrations work without touching this file, also through
// ALTER DEFAULT PRIVILEGES), then the explicit list below takes rights away again. TRUNCATE, REFERENCES and TRIGGER
// are never granted, and the runtime role owns nothing, so it can neither disable nor drop a trigger.
import type { SqlRunner } from "~/db/sql-runner.server";

/** Rows the runtime role may SELECT and INSERT, never UPDATE or DELETE. */
export const APPEND_ONLY_TABLES = [
  "audit_event",
  "audit_checkpoint",
  // Audit rows waiting to be chained: only the sealer (a SECURITY DEFINER function) removes them.
  "audit_intake",
  "ledger_entry",
  "ledger_transaction",
  "kill_switch_change",
  "cohort",
  "cohort_member",
  "account_note",
  // Cached balances: a new account starts at 0 (trigger) and only the SECURITY DEFINER entry trigger moves it.
  "ledger_account",
] as const;

/**
 * Rows the runtime role may only read: the intake's counters (ADR 049), written by SECURITY DEFINER functions as the
 * owner, so the role that writes the audit rows cannot also adjust what they are counted against.
 */
export const OWNER_WRITTEN_TABLES = ["audit_intake_counter", "audit_intake_sealed"] as const;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function grantRuntimeAccess(owner: SqlRunner, runtimeRole: string): Promise<void> {
  const role = quoteIdent(runtimeRole);
  const present = async (table: string) =>
    (await owner.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [quoteIdent(table)])).rows[0]?.ok;
  const statements = [
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
    // The migration history is read at start-up (are migrations current?) and written only by the owner.
    `REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM ${role}`,
  ];
  for (const table of APPEND_ONLY_TABLES) {
    if (await present(table)) statements.push(`REVOKE UPDATE, DELETE ON ${quoteIdent(table)} FROM ${role}`);
  }
  for (const table of OWNER_WRITTEN_TABLES) {
    if (await present(table)) statements.push(`REVOKE INSERT, UPDATE, DELETE ON ${quoteIdent(table)} FROM ${role}`);
  }
  await owner.exec(`BEGIN;\n${statements.join(";\n")};\nCOMMIT;`);
}
