// Posting a money movement to the double-entry ledger. The database enforces the invariants (entries sum to zero at
// commit, wallets never negative, reversals never exceed the original, rows append-only); this module is the one typed
// way to write them from application code. Bulk loaders (the replay seed) write the same rows with batched SQL.
import type { DbTx } from "~/db.server";
import type { FundingKind, LedgerTransactionKind } from "~/generated/prisma/enums";
import { DomainError } from "~/lib/domain-error";

export interface LedgerLeg {
  accountId: string;
  /** Signed yen: positive increases the account's balance, negative decreases it. */
  amount: number;
}

export interface PostTransactionInput {
  kind: LedgerTransactionKind;
  customerId: string;
  amount: number;
  legs: LedgerLeg[];
  occurredAt?: Date;
  fundingSourceId?: string | null;
  channel?: FundingKind | null;
  reversesId?: string | null;
  reasonCode?: string | null;
  idempotencyKey?: string | null;
}

export function assertYen(amount: number, label = "amount"): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError("INVALID_AMOUNT", `The ${label} must be a whole number of yen greater than zero.`, 422);
  }
}

export async function postLedgerTransaction(tx: DbTx, input: PostTransactionInput) {
  assertYen(input.amount);
  const sum = input.legs.reduce((total, leg) => total + leg.amount, 0);
  if (
    sum !== 0 ||
    input.legs.length < 2 ||
    input.legs.some((leg) => !Number.isSafeInteger(leg.amount) || leg.amount === 0)
  ) {
    // A programming error, not user input: the legs were built by code.
    throw new Error("ledger legs must be non-zero integers that sum to zero");
  }
  const transaction = await tx.ledgerTransaction.create({
    data: {
      kind: input.kind,
      customerId: input.customerId,
      amount: input.amount,
      occurredAt: input.occurredAt ?? new Date(),
      fundingSourceId: input.fundingSourceId ?? null,
      channel: input.channel ?? null,
      reversesId: input.reversesId ?? null,
      reasonCode: input.reasonCode ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
    },
  });
  await tx.ledgerEntry.createMany({
    data: input.legs.map((leg) => ({ transactionId: transaction.id, accountId: leg.accountId, amount: leg.amount })),
  });
  return transaction;
}

/** The company-side account for a channel, e.g. clearing:CREDIT_CARD. Created by migration; absence is a defect. */
export async function systemAccountId(tx: DbTx, code: string): Promise<string> {
  const account = await tx.ledgerAccount.findUnique({ where: { code }, select: { id: true } });
  if (!account) throw new Error(`ledger account ${code} is missing (reference data migration not applied?)`);
  return account.id;
}

export async function walletAccountId(tx: DbTx, customerId: string): Promise<string> {
  const account = await tx.ledgerAccount.findUnique({ where: { customerId }, select: { id: true } });
  if (!account) throw new DomainError("WALLET_NOT_FOUND", "This customer has no wallet.", 404);
  return account.id;
}

export function walletAccountCode(customerId: string): string {
  return `wallet:${customerId}`;
}

export function merchantAccountCode(storeCode: string): string {
  return `merchant:${storeCode}`;
}
