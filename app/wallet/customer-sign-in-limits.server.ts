// Failed customer sign-ins, counted where they happen (docs/decisions/079-uniform-customer-sign-in.md):
//   - per account: MAX_FAILURES_IN_WINDOW in FAILURE_WINDOW_MS, then the account refuses sign-in for a window. An
//     identifier that names no account is counted the same way under a hash of its text, so "too many attempts" comes
//     after the same number of tries whether the account exists or not;
//   - per source (an IPv4 address or an IPv6 /64): SOURCE_FAILURE_LIMIT in the same window, then every sign-in from it
//     is refused for SOURCE_BLOCK_MS. Generous on purpose: behind carrier-grade NAT many honest customers share one
//     address, and only failures count.
// A try is claimed — counted as a failure — by one atomic upsert before the password is checked: the row lock of the
// upsert orders attempts sent at once, so each sees the count the one before it left and no burst gets past the
// limit. A try that turns out not to be a failure gives its claim back.
import { createHash } from "node:crypto";
import { addressBucket } from "~/auth/address-bucket";
import type { DbTx } from "~/db.server";
import { backoffMs, isOverloaded } from "~/db/transient-errors";
import { getLogger } from "~/ops/logger.server";

export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins (wrong passwords and wrong second-factor codes) an account may have in the window. */
export const MAX_FAILURES_IN_WINDOW = 10;
/** Failed sign-ins one source may have in the window, across all accounts (ADR 079 explains the size). */
export const SOURCE_FAILURE_LIMIT = 100;
/** How long a source (or an account) over its limit is refused. */
export const SOURCE_BLOCK_MS = FAILURE_WINDOW_MS;

type Scope = "account" | "source";
type Db = Pick<DbTx, "$queryRaw" | "$executeRaw">;

export interface SignInClaim {
  scope: Scope;
  key: string;
  windowStartedAt: Date;
  /** The source or account is over its limit: refuse without checking anything. */
  refused: boolean;
  /** This claim is the one that went over the limit (once per block: the moment to audit). */
  blockStarted: boolean;
}

/** The account's key; an identifier that names nobody is keyed by its hash (the typed text is never stored). */
export function accountKey(subject: { customerId: string } | { identifier: string }): string {
  if ("customerId" in subject) return `customer:${subject.customerId}`;
  const normalised = subject.identifier.trim().toLowerCase();
  return `identifier:${createHash("sha256").update(normalised, "utf8").digest("hex")}`;
}

/** Requests without a known address share one bucket: better limited together than not at all. */
export function sourceKey(ip: string | null): string {
  return ip && ip.length > 0 ? addressBucket(ip).slice(0, 64) : "unknown";
}

const LIMITS: Record<Scope, number> = { account: MAX_FAILURES_IN_WINDOW, source: SOURCE_FAILURE_LIMIT };

/**
 * Counts one try (as a failure until given back). A window that has passed, with no block still running, starts
 * again at this try; the try that takes the count over the limit starts the block.
 */
export async function claimTry(db: Db, scope: Scope, key: string, at: Date): Promise<SignInClaim> {
  const limit = LIMITS[scope];
  const windowStart = new Date(at.getTime() - FAILURE_WINDOW_MS);
  const blockUntil = new Date(at.getTime() + SOURCE_BLOCK_MS);
  const [row] = await db.$queryRaw<{ failures: number; window_started_at: Date; blocked_until: Date | null }[]>`
    INSERT INTO customer_sign_in_limit AS l (scope, key, failures, window_started_at, blocked_until)
    VALUES (${scope}, ${key}, 1, ${at}::timestamptz, NULL)
    ON CONFLICT (scope, key) DO UPDATE SET
      failures = CASE
        WHEN l.window_started_at <= ${windowStart}::timestamptz
             AND (l.blocked_until IS NULL OR l.blocked_until <= ${at}::timestamptz) THEN 1
        ELSE l.failures + 1 END,
      window_started_at = CASE
        WHEN l.window_started_at <= ${windowStart}::timestamptz
             AND (l.blocked_until IS NULL OR l.blocked_until <= ${at}::timestamptz) THEN ${at}::timestamptz
        ELSE l.window_started_at END,
      blocked_until = CASE
        WHEN l.window_started_at <= ${windowStart}::timestamptz
             AND (l.blocked_until IS NULL OR l.blocked_until <= ${at}::timestamptz) THEN NULL
        WHEN l.blocked_until IS NOT NULL THEN l.blocked_until
        WHEN l.failures + 1 > ${limit}::int THEN ${blockUntil}::timestamptz
        ELSE NULL END
    RETURNING failures, window_started_at, blocked_until`;
  if (!row) throw new Error("customer_sign_in_limit upsert returned no row");
  const refused = row.blocked_until !== null && row.blocked_until.getTime() > at.getTime();
  return {
    scope,
    key,
    windowStartedAt: row.window_started_at,
    refused,
    // Failures only grow while blocked and never pass the limit before, so limit + 1 is reached exactly once.
    blockStarted: refused && Number(row.failures) === limit + 1,
  };
}

/** Gives a try back (it was not a failure), unless its window has since passed or a block started. */
export async function releaseTry(db: Db, claim: SignInClaim): Promise<void> {
  await db.$executeRaw`
    UPDATE customer_sign_in_limit SET failures = GREATEST(failures - 1, 0)
     WHERE scope = ${claim.scope} AND key = ${claim.key}
       AND window_started_at = ${claim.windowStartedAt}::timestamptz AND blocked_until IS NULL`;
}

/** How many times a give-back refused for want of a connection is tried again, with backoff, before it is logged. */
const GIVE_BACK_ATTEMPTS = 8;

/**
 * Gives tries back in the background once the customers' pool has a connection free: a request answered "busy"
 * (ADR 114) checked no password, or found it right, so it must count no failure. Not awaited: the customer's answer
 * does not wait for the pool it was just refused by.
 */
export function giveTriesBackWhenFree(db: Db, claims: SignInClaim[]): void {
  void (async () => {
    for (const claim of claims) {
      for (let attempt = 1; ; attempt++) {
        try {
          await releaseTry(db, claim);
          break;
        } catch (error) {
          if (!isOverloaded(error) || attempt >= GIVE_BACK_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 100, 2_000) + 100));
        }
      }
    }
  })().catch((error: unknown) =>
    getLogger().error({ err: error }, "a customer sign-in's try could not be given back after a busy answer"),
  );
}
