// The home page's incident figures: stolen = the victims' top-ups since the incident opened; reversed = reversals of
// those top-ups only (a reversed purchase returns store money to the wallet, it is not money given back).
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { loadIncidentFigures } from "~/incidents/incident-figures.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { createTestCustomer } from "../support/customers";
import { staffContext } from "../support/staff";
import { buy, createStore, freezeAccount, newKey, topUp } from "../support/ledger-fixtures";
import { createIncident } from "../support/notify-fixtures";

describe("incident figures", () => {
  it("count top-up reversals as reversed, and not purchase reversals", async () => {
    const incident = await createIncident();
    const victim = await createTestCustomer(prisma);
    await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: victim.customer.id } });
    const bystander = await createTestCustomer(prisma); // not in the incident: never counted
    const store = await createStore(prisma);
    const topUpId = await topUp(prisma, victim, 30_000);
    const purchaseId = await buy(prisma, victim, store, 20_000);
    await freezeAccount(prisma, victim.customer.id); // secured before its purchase is refunded to the wallet
    await topUp(prisma, bystander, 50_000);

    const lead = staffContext("SECURITY_LEAD");
    const reverse = (transactionId: string, amount: number) =>
      reverseCharge(lead, {
        customerId: victim.customer.id,
        transactionId,
        amount,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      });
    await reverse(purchaseId, 20_000); // store → wallet
    expect(await loadIncidentFigures(incident.code)).toMatchObject({ victims: 1, stolenYen: 30_000, reversedYen: 0 });

    await reverse(topUpId, 25_000); // wallet → card
    expect(await loadIncidentFigures(incident.code)).toMatchObject({ stolenYen: 30_000, reversedYen: 25_000 });
  });
});
