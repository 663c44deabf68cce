// Kill switches are global state. In a PostgreSQL test run every test file shares one database and files run in
// parallel, so a file that engages a top-up switch would refuse another file's top-ups. Files that touch switches
// hold this advisory lock for their whole run (a dedicated connection); in embedded mode each file has its own
// database and the lock is a no-op.
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
