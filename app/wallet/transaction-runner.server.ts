// The wallet back end runs each money movement in one interactive transaction on the app's database, on a pool of
// connections the console does not share (`walletPrisma`: a console flood cannot starve a top-up, ADR 103). Tests and
// the fail-closed checks hand in another client (e.g. one pointed at a closed port) through `WalletOptions.db`.
import { walletPrisma, type Db, type DbTx } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { isOverloaded } from "~/db/transient-errors";
import { isUniqueViolation } from "~/db/unique-violation";
import { getLogger } from "~/ops/logger.server";
import { WalletBusyRefusal, WalletUnavailableRefusal, type WalletWrite } from "~/wallet/errors";

export interface WalletOptions {
  db?: Pick<Db, "$transaction">;
}

// A customer's top-up is interactive: it must not queue for long behind a busy pool, and must never hold its locks
// (the switch rows it shares) for long. On PostgreSQL the pool itself refuses a borrower it cannot serve within
// FIREBREAK_WALLET_POOL_WAIT_MS (at most 4 s: answered busy, ADR 120); maxWait is the outer bound for a connection the
// pool is still opening (a server that does not answer), past which the checks' state is unknown.
export const WALLET_TRANSACTION_OPTIONS = { maxWait: 5_000, timeout: 10_000 } as const;

/**
 * The busy refusal when `error` says no connection was lent (the pool's bounded wait, ADR 120) and the work never
 * started: nothing of it reached the database, so the customer is told to try again, not that a check failed.
 */
export function busyWhenNoConnection(
  error: unknown,
  started: boolean,
  operation: WalletWrite,
): WalletBusyRefusal | null {
  return !started && !(error instanceof DomainError) && isOverloaded(error) ? new WalletBusyRefusal(operation) : null;
}

export function walletDb(options: WalletOptions): Pick<Db, "$transaction"> {
  return options.db ?? walletPrisma;
}

/** Stored idempotency keys are scoped per operation and customer, so two customers' keys never collide. */
export function scopedIdempotencyKey(operation: "topup" | "purchase", customerId: string, key: string | null) {
  return key === null ? null : `${operation}:${customerId}:${key}`;
}

/** A decision the body commits (a refusal's risk decision, a hold's review item) before its refusal is thrown. */
export interface DeferredRefusal {
  refusal: DomainError;
}

/**
 * One money movement: the answer already given under its idempotency key, else its body, in one transaction; then a
 * refusal the body returned is thrown once its decision has committed. An unexpected failure is refused by
 * `failClosed` when a check (switches, risk rules) had not yet decided, and a concurrent request that won the same
 * idempotency key is answered with its result. A failure once the body has returned can only be the COMMIT's (sent,
 * its answer lost, or refused): whether the movement was made is unknown, and it is answered `outcomeUnknown` (a
 * retry with the same key settles it), never with the driver's error (ADR 108).
 */
export async function runMoneyMovement<R extends object>(
  options: WalletOptions,
  movement: {
    storedKey: string | null;
    /** The answer already given under the idempotency key, if any. */
    replay(tx: DbTx, storedKey: string): Promise<R | null>;
    body(tx: DbTx): Promise<R | DeferredRefusal>;
    failClosed(): DomainError | null;
    /** Which write this is, for the busy refusal when the pool had no connection for it (ADR 120). */
    operation: WalletWrite;
    /** The answer when the COMMIT was sent and its outcome could not be known. */
    outcomeUnknown(): DomainError;
  },
): Promise<R> {
  const db = walletDb(options);
  const { storedKey } = movement;
  let outcome: R | DeferredRefusal;
  // Prisma checks maxWait only once the pool has lent a connection, so with every connection busy the customer would
  // wait for whichever frees first (a stalled top-up may hold one for its whole timeout), only to be refused
  // then. Past maxWait without a connection the movement is refused at once and abandoned: the body, should the pool
  // lend it a connection later, does nothing (checked on its first line, so the two can never both happen).
  let started = false;
  let abandoned = false;
  // Set when the body (or the replay) has returned: after that only the COMMIT remains.
  let committing = false;
  let waiting: ReturnType<typeof setTimeout> | undefined;
  try {
    const transaction = db.$transaction(async (tx): Promise<R | DeferredRefusal> => {
      if (abandoned) throw new Error("abandoned: the top-up was refused while it waited for a connection");
      started = true;
      if (storedKey) {
        const replay = await movement.replay(tx, storedKey);
        if (replay) {
          committing = true;
          return replay;
        }
      }
      const made = await movement.body(tx);
      committing = true;
      return made;
    }, WALLET_TRANSACTION_OPTIONS);
    const gaveUp = new Promise<never>((_, reject) => {
      waiting = setTimeout(() => {
        if (started) return;
        abandoned = true;
        transaction.catch(() => undefined);
        reject(new Error(`no database connection within ${WALLET_TRANSACTION_OPTIONS.maxWait} ms`));
      }, WALLET_TRANSACTION_OPTIONS.maxWait);
    });
    outcome = await Promise.race([transaction, gaveUp]);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (committing) {
      // The driver's words stay in the server's log; the client is told what it can do.
      getLogger().warn({ err: error, keyed: storedKey !== null }, "a money movement's COMMIT went unanswered");
      throw movement.outcomeUnknown();
    }
    // No connection within the pool's wait: nothing ran, no check was skipped; the same key retried later moves the
    // money once. A check that could not run refuses the movement either way (fail closed).
    const busy = busyWhenNoConnection(error, started, movement.operation);
    if (busy) throw busy;
    const refusal = movement.failClosed();
    if (refusal) throw refusal;
    // Two concurrent requests with one idempotency key: the loser answers with the winner's result.
    if (storedKey && isUniqueViolation(error)) {
      let replay: R | null;
      try {
        replay = await db.$transaction((tx) => movement.replay(tx, storedKey));
      } catch (lookup) {
        throw busyWhenNoConnection(lookup, false, movement.operation) ?? lookup;
      }
      if (replay) return replay;
    }
    // Anything else before the COMMIT (the database away before a purchase's checks, a connection lost after them):
    // the transaction did not commit, so nothing moved. The customer's app gets a wallet answer, never the driver's
    // words (they can name the database); those go to the log.
    getLogger().warn({ err: error, operation: movement.operation }, "a money movement failed before its COMMIT");
    throw new WalletUnavailableRefusal(movement.operation);
  } finally {
    clearTimeout(waiting);
  }
  if ("refusal" in outcome && outcome.refusal instanceof DomainError) throw outcome.refusal;
  return outcome as R;
}

/** The wallet's balance now (a replayed answer reports today's balance, not the one after the first request). */
export async function walletBalance(tx: DbTx, customerId: string): Promise<number> {
  const wallet = await tx.ledgerAccount.findUnique({ where: { customerId }, select: { balance: true } });
  return Number(wallet?.balance ?? 0);
}
