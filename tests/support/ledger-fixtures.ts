// Money fixtures for the reversal tests: a customer with a card, a store, top-ups and purchases written straight to
// the ledger (not through the wallet back end, whose kill switches other tests engage), and staff members the job
// runner can look up.
import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import type { Role } from "~/auth/permissions";
import { merchantAccountCode, postLedgerTransaction, systemAccountId } from "~/ledger/post-transaction.server";
import { createTestCustomer } from "./customers";
import { staffContext } from "./staff";

export type TestCustomer = Awaited<ReturnType<typeof createTestCustomer>>;

export async function createStore(prisma: Db): Promise<{ id: string; code: string; merchantAccountId: string }> {
  const code = `TST-${randomBytes(4).toString("hex").toUpperCase()}`;
  const store = await prisma.store.create({ data: { code, name: `テスト店 ${code}`, area: "Shinjuku" } });
  const account = await prisma.ledgerAccount.create({
    data: { code: merchantAccountCode(code), kind: "MERCHANT_PAYABLE" },
  });
  return { id: store.id, code, merchantAccountId: account.id };
}

export async function topUp(prisma: Db, customer: TestCustomer, amount: number, at = new Date()): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const clearing = await systemAccountId(tx, "clearing:CREDIT_CARD");
    const t = await postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId: customer.customer.id,
      amount,
      channel: "CREDIT_CARD",
      fundingSourceId: customer.card.id,
      occurredAt: at,
      legs: [
        { accountId: clearing, amount: -amount },
        { accountId: customer.wallet.id, amount },
      ],
    });
    return t.id;
  });
}

export async function buy(
  prisma: Db,
  customer: TestCustomer,
  store: { id: string; merchantAccountId: string },
  amount: number,
  at = new Date(),
): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const t = await postLedgerTransaction(tx, {
      kind: "PURCHASE",
      customerId: customer.customer.id,
      amount,
      occurredAt: at,
      legs: [
        { accountId: customer.wallet.id, amount: -amount },
        { accountId: store.merchantAccountId, amount },
      ],
    });
    await tx.purchase.create({
      data: {
        transactionId: t.id,
        customerId: customer.customer.id,
        storeId: store.id,
        total: amount,
        occurredAt: at,
        items: {
          create: [{ categoryCode: "ECIG_CARTRIDGE", description: "カートリッジ", quantity: 1, unitPrice: amount }],
        },
      },
    });
    return t.id;
  });
}

export async function walletBalance(prisma: Db, customer: TestCustomer): Promise<number> {
  return Number((await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: customer.wallet.id } })).balance);
}

export async function reversedTotal(prisma: Db, originalId: string): Promise<number> {
  const sum = await prisma.ledgerTransaction.aggregate({ where: { reversesId: originalId }, _sum: { amount: true } });
  return sum._sum.amount ?? 0;
}

/** A new customer who topped up `topUpAmount` by card and spent `amount` of it at a new store: a charge to reverse. */
export async function customerWithPurchase(prisma: Db, amount: number, topUpAmount = amount) {
  const customer = await createTestCustomer(prisma);
  const store = await createStore(prisma);
  const topUpId = await topUp(prisma, customer, topUpAmount);
  const purchaseId = await buy(prisma, customer, store, amount);
  return { customer, store, topUpId, purchaseId };
}

/**
 * Freezes the account, as the agent does before refunding a purchase: a purchase reversal credits the wallet, and the
 * domain refuses it on an account nobody has secured since the charge (ACCOUNT_NOT_SECURED).
 */
export async function freezeAccount(prisma: Db, customerId: string): Promise<void> {
  await prisma.customer.update({ where: { id: customerId }, data: { status: "FROZEN" } });
}

/** customerWithPurchase, then frozen: the order an agent works in when the reversal is not what the test is about. */
export async function securedCustomerWithPurchase(prisma: Db, amount: number, topUpAmount = amount) {
  const made = await customerWithPurchase(prisma, amount, topUpAmount);
  await freezeAccount(prisma, made.customer.customer.id);
  return made;
}

export function newKey(): string {
  return `test-${randomUUID()}`;
}

/** A staff member that exists in staff_user (the job runner re-reads the creator's role at every batch). */
export async function createStaffContext(prisma: Db, role: Role, options: { steppedUp?: boolean } = {}) {
  const suffix = randomBytes(4).toString("hex");
  const staff = await prisma.staffUser.create({
    data: { email: `${role.toLowerCase()}-${suffix}@reversal.test`, displayName: `Reversal ${role} ${suffix}`, role },
  });
  return staffContext(role, { ...options, id: staff.id });
}

export async function createIncident(prisma: Db, openedAt: Date) {
  const code = `INC-TEST-${randomBytes(4).toString("hex").toUpperCase()}`;
  return prisma.incident.create({ data: { code, title: `Test incident ${code}`, summary: "test", openedAt } });
}

export interface VictimPlan {
  /** Own money before the incident (a top-up before `openedAt`). */
  ownBalance?: number;
  /** Attackers' top-ups after the incident opened. */
  topUps: number[];
  /** Attackers' purchases at the store after the incident opened. */
  purchases: number[];
  /** Frozen after the charges, as an agent secures a victim before refunding its purchases. */
  secured?: boolean;
}

export async function createVictim(
  prisma: Db,
  incident: { id: string; openedAt: Date },
  store: { id: string; merchantAccountId: string },
  plan: VictimPlan,
) {
  const customer = await createTestCustomer(prisma);
  const opened = incident.openedAt.getTime();
  if (plan.ownBalance) await topUp(prisma, customer, plan.ownBalance, new Date(opened - 86_400_000));
  const topUpIds: string[] = [];
  const purchaseIds: string[] = [];
  let minute = 1;
  for (const amount of plan.topUps)
    topUpIds.push(await topUp(prisma, customer, amount, new Date(opened + minute++ * 60_000)));
  for (const amount of plan.purchases) {
    purchaseIds.push(await buy(prisma, customer, store, amount, new Date(opened + minute++ * 60_000)));
  }
  await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: customer.customer.id } });
  if (plan.secured) await freezeAccount(prisma, customer.customer.id);
  return { ...customer, topUpIds, purchaseIds };
}
