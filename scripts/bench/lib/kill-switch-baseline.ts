// The benchmark's baseline: a top-up exactly like app/wallet's topUp() minus the kill-switch read, so the difference
// between the two is the cost of enforcement. Benchmark-only on purpose: no product code path may skip the switches.
import { prisma } from "~/db.server";
import { postLedgerTransaction, systemAccountId, walletAccountId } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { assertCustomerCanTransact } from "~/wallet/customer-guard.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";

export async function topUpWithoutSwitchRead(input: { customerId: string; fundingSourceId: string; amount: number }) {
  return prisma.$transaction(async (tx) => {
    const source = await tx.fundingSource.findFirst({
      where: { id: input.fundingSourceId, customerId: input.customerId },
      select: { id: true, kind: true },
    });
    if (!source) throw new Error("funding source not found");
    await assertCustomerCanTransact(tx, input.customerId);
    const walletId = await walletAccountId(tx, input.customerId);
    const clearingId = await systemAccountId(tx, `clearing:${source.kind}`);
    await postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId: input.customerId,
      amount: input.amount,
      occurredAt: now(),
      fundingSourceId: source.id,
      channel: source.kind,
      legs: [
        { accountId: walletId, amount: input.amount },
        { accountId: clearingId, amount: -input.amount },
      ],
    });
    return tx.ledgerAccount.findUniqueOrThrow({ where: { id: walletId }, select: { balance: true } });
  }, WALLET_TRANSACTION_OPTIONS);
}
