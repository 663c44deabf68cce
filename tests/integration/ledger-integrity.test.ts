// The ledger's invariants are enforced by the database itself, so no code path can break them.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { postLedgerTransaction, systemAccountId } from "~/ledger/post-transaction.server";
import { createTestCustomer } from "../support/customers";

async function topUp(customerId: string, walletId: string, amount: number) {
  return prisma.$transaction(async (tx) => {
    const clearing = await systemAccountId(tx, "clearing:CREDIT_CARD");
    return postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId,
      amount,
      channel: "CREDIT_CARD",
      legs: [
        { accountId: clearing, amount: -amount },
        { accountId: walletId, amount },
      ],
    });
  });
}

describe("ledger integrity", () => {
  it("a balanced transaction moves the cached balance with its entries", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    await topUp(customer.id, wallet.id, 12_000);
    const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: wallet.id } });
    const entries = await prisma.ledgerEntry.aggregate({ where: { accountId: wallet.id }, _sum: { amount: true } });
    expect(account.balance).toBe(12_000n);
    expect(entries._sum.amount).toBe(12_000);
  });

  it("refuses, at commit, a transaction whose entries do not sum to zero", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    await expect(
      prisma.$transaction(async (tx) => {
        const t = await tx.ledgerTransaction.create({
          data: { kind: "TOP_UP", customerId: customer.id, amount: 500, occurredAt: new Date() },
        });
        await tx.ledgerEntry.create({ data: { transactionId: t.id, accountId: wallet.id, amount: 500 } });
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: wallet.id } })).balance).toBe(0n);
  });

  it("never lets a wallet go below zero", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    await topUp(customer.id, wallet.id, 1_000);
    await expect(
      prisma.$transaction(async (tx) => {
        const merchant = await systemAccountId(tx, "refund:CREDIT_CARD");
        await postLedgerTransaction(tx, {
          kind: "PURCHASE",
          customerId: customer.id,
          amount: 1_001,
          legs: [
            { accountId: wallet.id, amount: -1_001 },
            { accountId: merchant, amount: 1_001 },
          ],
        });
      }),
    ).rejects.toThrow(/wallet_never_negative/);
  });

  it("refuses reversals beyond the original amount and reversals of reversals", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    const original = await topUp(customer.id, wallet.id, 3_000);
    const reverse = (amount: number, reversesId: string) =>
      prisma.$transaction(async (tx) => {
        const refund = await systemAccountId(tx, "refund:CREDIT_CARD");
        return postLedgerTransaction(tx, {
          kind: "REVERSAL",
          customerId: customer.id,
          amount,
          reversesId,
          legs: [
            { accountId: wallet.id, amount: -amount },
            { accountId: refund, amount },
          ],
        });
      });
    const first = await reverse(2_000, original.id);
    await expect(reverse(1_001, original.id)).rejects.toThrow(/would exceed the original amount/);
    await expect(reverse(500, first.id)).rejects.toThrow(/cannot be reversed/);
    await reverse(1_000, original.id);
    expect((await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: wallet.id } })).balance).toBe(0n);
  });

  it("ledger rows cannot be updated or deleted", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    const t = await topUp(customer.id, wallet.id, 700);
    await expect(prisma.$executeRaw`UPDATE ledger_transaction SET amount = 1 WHERE id = ${t.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRaw`DELETE FROM ledger_entry WHERE transaction_id = ${t.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRawUnsafe("TRUNCATE ledger_entry CASCADE")).rejects.toThrow(/append-only/);
    expect(await prisma.ledgerEntry.count({ where: { transactionId: t.id } })).toBe(2);
  });

  it("rejects zero, negative and fractional amounts before touching the database", async () => {
    const { customer, wallet } = await createTestCustomer(prisma);
    for (const amount of [0, -5, 10.5]) {
      await expect(topUp(customer.id, wallet.id, amount)).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
    }
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
  });
});
