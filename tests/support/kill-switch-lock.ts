// Kill switches are global state within a database. Every test file has a database of its own in both modes, and
// PostgreSQL's advisory locks are per database, so this lock no longer serialises anything between files: the files
// that call it are isolated by their databases. It stays harmless for the callers that still hold it.
import pg from "pg";

const KILL_SWITCH_TEST_LOCK = 72_917_404;

export async function holdKillSwitchTestLock(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (process.env.FIREBREAK_TEST_DB !== "postgresql" || !url) return async () => {};
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1)", [KILL_SWITCH_TEST_LOCK]);
  return async () => {
    await client.query("SELECT pg_advisory_unlock($1)", [KILL_SWITCH_TEST_LOCK]);
    await client.end();
  };
}
