// The wallet back end runs each money movement in one interactive transaction on the app's database. Tests and the
// fail-closed checks hand in another client (e.g. one pointed at a closed port) through `WalletOptions.db`.
import { prisma, type Db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

export interface WalletOptions {
  db?: Pick<Db, "$transaction">;
}

// A customer's top-up is interactive: it must not queue for long behind a busy pool, and must never hold its locks
// (the switch rows it shares) for long.
export const WALLET_TRANSACTION_OPTIONS = { maxWait: 5_000, timeout: 10_000 } as const;

export function walletDb(options: WalletOptions): Pick<Db, "$transaction"> {
  return options.db ?? prisma;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Stored idempotency keys are scoped per operation and customer, so two customers' keys never collide. */
export function scopedIdempotencyKey(operation: "topup" | "purchase", customerId: string, key: string | null) {
  return key === null ? null : `${operation}:${customerId}:${key}`;
}
