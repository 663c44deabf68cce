// Reads that a restart of the database should not end: a long export reads its rows in many statements over minutes,
// and a failover (or pg_terminate_backend of every session) in the middle would otherwise cut the download short.
// Only for statements that read: one read again returns what it would have returned the first time, provided what it
// reads is pinned (an audit export is pinned to the chain head at its start).
import { backoffMs, isConnectionLoss, isOverloaded } from "~/db/transient-errors";
import type { SqlRunner } from "~/db/sql-runner.server";

/** Tries per statement: with the backoff's 5 s cap, a restart of about half a minute is ridden out. */
export const READ_ATTEMPTS = 8;

/** `sql`, with each statement sent again after a lost connection or a full pool, up to READ_ATTEMPTS times in all. */
export function readingAgainAfterLoss(sql: SqlRunner, attempts = READ_ATTEMPTS): SqlRunner {
  return {
    query: async (text, params, options) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await sql.query(text, params, options);
        } catch (error) {
          if (attempt >= attempts || !(isConnectionLoss(error) || isOverloaded(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 250)));
        }
      }
    },
    exec: (text) => sql.exec(text),
  };
}
