// Minimal wallet customers for tests that must not depend on the replay seed. Unique per call, so tests sharing one
// PostgreSQL database never collide.
import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { walletAccountCode } from "~/ledger/post-transaction.server";

export async function createTestCustomer(prisma: Db, overrides: { email?: string; name?: string } = {}) {
  const suffix = randomUUID().slice(0, 8);
  const customer = await prisma.customer.create({
    data: {
      displayId: `T-${suffix}`,
      name: overrides.name ?? "試験 太郎",
      nameKana: "シケン タロウ",
      email: overrides.email ?? `test-${suffix}@example.com`,
      phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1990-04-01"),
    },
  });
  const wallet = await prisma.ledgerAccount.create({
    data: { code: walletAccountCode(customer.id), kind: "CUSTOMER_WALLET", customerId: customer.id },
  });
  const card = await prisma.fundingSource.create({
    data: { customerId: customer.id, kind: "CREDIT_CARD", brand: "VISA", last4: "4242", addedAt: new Date() },
  });
  return { customer, wallet, card };
}
