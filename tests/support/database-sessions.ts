// Waiting for the database server to reach a state a test has set up (a row locked by one session and waited on by
// another, every connection of a pool held) by asking the server, never by sleeping for a guessed time: on a loaded
// machine any guess is too short sometimes. PostgreSQL only (pg_stat_activity).
import pg from "pg";
import { waitFor } from "./smtp-sink";

/**
 * Polls until at least `count` sessions of the test file's database meet `condition` (SQL over pg_stat_activity). It
 * asks on a connection of its own, one statement per transaction: within a transaction the server shows the sessions
 * it listed first, so a holder asking from inside its own would never see a connection opened after that.
 */
async function untilSessions(what: string, condition: string, params: unknown[], count: number): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await waitFor(what, async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND ${condition}`,
        params,
      );
      return rows[0]!.n >= count;
    });
  } finally {
    await client.end();
  }
}

/**
 * Waits until some session waits on a lock: a test that holds a row uncommitted learns that the work it races has
 * reached the row, rather than guessing how long that takes.
 */
export function untilSomeoneWaitsOnALock(what: string): Promise<void> {
  return untilSessions(what, "wait_event_type = 'Lock'", [], 1);
}

/** Waits until at least `count` sessions are running a statement that starts with `statementStart`. */
export function untilSessionsRun(statementStart: string, count: number): Promise<void> {
  return untilSessions(
    `${count} sessions running ${statementStart}`,
    "state = 'active' AND starts_with(query, $1)",
    [statementStart],
    count,
  );
}
