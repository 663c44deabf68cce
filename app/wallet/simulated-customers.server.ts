// Customers for the simulator, the kill-switch benchmark and tests: a customer, their wallet account and one funding
// source per requested channel, created in one transaction. The 7pay replay seed creates its own (many more) in bulk.
import { randomBytes } from "node:crypto";
import type { Db } from "~/db.server";
import type { FundingKind } from "~/generated/prisma/enums";
import { walletAccountCode } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";

export interface SimulatedCustomer {
  id: string;
  displayId: string;
  fundingSources: { id: string; kind: FundingKind; label: string }[];
}

const BRANDS: Record<FundingKind, { brand: string; last4: string | null; label: (last4: string | null) => string }> = {
  CREDIT_CARD: { brand: "VISA", last4: "4242", label: (l) => `card VISA••${l}` },
  BANK: { brand: "ゆうちょ銀行", last4: "0019", label: (l) => `bank ••${l}` },
  CONVENIENCE_CASH: { brand: "セブン-イレブン", last4: null, label: () => "cash at store" },
};

export function fundingSourceLabel(kind: FundingKind, last4: string | null): string {
  return BRANDS[kind].label(last4);
}

export async function createSimulatedCustomer(
  db: Pick<Db, "$transaction">,
  options: { displayId?: string; name?: string; fundingKinds?: FundingKind[] } = {},
): Promise<SimulatedCustomer> {
  const suffix = randomBytes(4).toString("hex").toUpperCase();
  const displayId = options.displayId ?? `SIM-${suffix}`;
  const kinds = options.fundingKinds ?? ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"];
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: {
        displayId,
        name: options.name ?? "試験 太郎",
        nameKana: "シケン タロウ",
        email: `${displayId.toLowerCase()}@simulated.invalid`,
        phone: "+819000000000",
        birthDate: new Date("1990-01-01T00:00:00Z"),
      },
    });
    await tx.ledgerAccount.create({
      data: { code: walletAccountCode(customer.id), kind: "CUSTOMER_WALLET", customerId: customer.id },
    });
    const fundingSources = [];
    for (const kind of kinds) {
      const spec = BRANDS[kind];
      const source = await tx.fundingSource.create({
        data: { customerId: customer.id, kind, brand: spec.brand, last4: spec.last4, addedAt: now() },
      });
      fundingSources.push({ id: source.id, kind, label: fundingSourceLabel(kind, spec.last4) });
    }
    return { id: customer.id, displayId, fundingSources };
  });
}

/** A store for simulated purchases, created if missing (with its payable account). */
export async function ensureSimulatedStore(db: Pick<Db, "$transaction">, code = "SIM-STORE-001"): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.store.upsert({
      where: { code },
      update: {},
      create: { code, name: "シミュレーション店", area: "東京都" },
    });
    await tx.$executeRaw`
      INSERT INTO ledger_account (id, code, kind) VALUES (gen_random_uuid(), ${`merchant:${code}`}, 'MERCHANT_PAYABLE')
      ON CONFLICT (code) DO NOTHING`;
    return code;
  });
}
