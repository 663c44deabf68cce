// Who the simulator plays: active customers that have a wallet and funding sources (the replay seed's, when the
// database has them), topped up to a small float by creating simulated customers when there are none; and a store.
import type { Db } from "~/db.server";
import type { FundingKind } from "~/generated/prisma/enums";
import { createSimulatedCustomer, ensureSimulatedStore, fundingSourceLabel } from "~/wallet/simulated-customers.server";

export interface CohortCustomer {
  id: string;
  displayId: string;
  balance?: number;
  fundingSources: { id: string; kind: FundingKind; label: string }[];
}

export interface Cohort {
  customers: CohortCustomer[];
  storeCodes: string[];
  created: number;
}

export async function loadCohort(
  prisma: Db,
  wanted: number,
  channels: FundingKind[],
  random: () => number,
): Promise<Cohort> {
  const candidates = await prisma.customer.findMany({
    where: { status: "ACTIVE", fundingSources: { some: { kind: { in: channels } } }, ledgerAccounts: { some: {} } },
    select: { id: true, displayId: true, fundingSources: { select: { id: true, kind: true, last4: true } } },
    take: 500,
    orderBy: { displayId: "asc" },
  });
  const picked: CohortCustomer[] = [];
  const pool = [...candidates];
  while (picked.length < wanted && pool.length > 0) {
    const [customer] = pool.splice(Math.floor(random() * pool.length), 1);
    picked.push({
      id: customer!.id,
      displayId: customer!.displayId,
      fundingSources: customer!.fundingSources
        .filter((source) => channels.includes(source.kind))
        .map((source) => ({ id: source.id, kind: source.kind, label: fundingSourceLabel(source.kind, source.last4) })),
    });
  }
  let created = 0;
  while (picked.length < wanted) {
    picked.push(await createSimulatedCustomer(prisma, { fundingKinds: channels }));
    created += 1;
  }
  const wallets = await prisma.ledgerAccount.findMany({
    where: { customerId: { in: picked.map((c) => c.id) } },
    select: { customerId: true, balance: true },
  });
  for (const customer of picked)
    customer.balance = Number(wallets.find((w) => w.customerId === customer.id)?.balance ?? 0);
  const stores = await prisma.store.findMany({ select: { code: true }, take: 20, orderBy: { code: "asc" } });
  const storeCodes = stores.length > 0 ? stores.map((s) => s.code) : [await ensureSimulatedStore(prisma)];
  return { customers: picked, storeCodes, created };
}
