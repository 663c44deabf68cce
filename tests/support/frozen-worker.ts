// What a worker test behind a freezing server needs (tests/integration/ops-frozen-workers*.test.ts): the process-wide
// database opened through a pausable proxy, and a look at the server that does not go through it. The proxy freezes the
// worker's connections in the middle of its work (`freezeWhenSent`) and forwards new ones, as a frozen primary replaced
// behind the same address; the test then waits for the work to be done, and only lets the frozen connections go once it
// is, or long after every bound. Work done before the let-go neither hung on the frozen connection nor waited for it.
import pg from "pg";
import type { StatementBounds } from "~/db/bounded-client.server";
import { ANSWER_GRACE_MS } from "~/db/bounded-client.server";
import type { Database } from "~/db/open-database.server";
import { settleBeforeLetGo } from "./order-of-events";
import type { PausableProxy } from "./pausable-proxy";

/**
 * Short bounds, so that a test waits seconds for each rather than the defaults' minute, in the defaults' order: a lock
 * wait ends before the statement's, and the server ends an abandoned transaction only after the client has given up on
 * it (at the statement timeout plus ANSWER_GRACE_MS), so retried work first meets that transaction's locks.
 */
export const WORKER_TEST_BOUNDS: Required<StatementBounds> = {
  statementTimeoutMs: 1_000,
  lockTimeoutMs: 400,
  idleInTransactionTimeoutMs: 8_000,
};

/** Far past every bound: a worker that needed the frozen connections back is done only after this. */
export const LET_GO_AFTER_MS = 6 * (WORKER_TEST_BOUNDS.statementTimeoutMs + ANSWER_GRACE_MS);

/**
 * Opens the process-wide database (`~/db.server`) through a new pausable proxy: call from `vi.hoisted`, before anything
 * imports it. Returns the proxy and the server's own URL, which the proxy never freezes.
 */
export async function openProcessDatabaseThroughProxy(): Promise<{ proxy: PausableProxy; directUrl: string }> {
  const { startPausableProxy } = await import("./pausable-proxy");
  const { openDatabaseAt } = await import("~/db/open-database.server");
  const directUrl = process.env.DATABASE_URL!;
  const proxy = await startPausableProxy(directUrl);
  const opened = openDatabaseAt({ url: proxy.url, bounds: WORKER_TEST_BOUNDS }, { migrate: false });
  (globalThis as unknown as { firebreakDatabase?: Promise<Database> }).firebreakDatabase = opened;
  await opened;
  return { proxy, directUrl };
}

/** Resolves with `frozen`, or fails the test naming the statement the worker never sent. */
export async function frozenOrFail(frozen: Promise<void>, what: string, withinMs = 20_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const never = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the worker never sent ${what}`)), withinMs);
  });
  try {
    await Promise.race([frozen, never]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `done` on a connection of its own (straight to the server) until it holds; lets the proxy's frozen connections
 * go once it does, or at LET_GO_AFTER_MS. Returns whether the work was done while they were still frozen.
 */
export async function doneBeforeLetGo(
  proxy: PausableProxy,
  directUrl: string,
  done: (client: pg.Client) => Promise<boolean>,
): Promise<boolean> {
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    const waited = async () => {
      while (!(await done(client))) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    // Not done by the fallback: the work goes on with the thawed server, so the test can still say what it then did.
    const { settledBeforeLetGo, outcome } = await settleBeforeLetGo(waited(), () => proxy.resume(), LET_GO_AFTER_MS);
    if (outcome.status === "rejected") throw outcome.reason;
    return settledBeforeLetGo;
  } finally {
    await client.end();
  }
}
