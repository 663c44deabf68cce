// Recovery against the 7pay replay's ground truth: every victim whose email the attacker moved is flagged
// for review, with the pre-takeover address as the last known-good value; a forced reset contains them but sends the
// attacker's mailbox nothing; other victims get their link. The seed needs a database without wallet data: each test
// file has one of its own on both engines.
import { beforeAll, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import type { GroundTruth } from "~/incidents/replay/replay-rows";
import { seedDatabase } from "~/incidents/replay/seed.server";
import { forceReset } from "~/recovery/force-reset.server";
import { loadRecoveryView } from "~/recovery/recovery-view.server";
import { staffContext } from "../support/staff";

const agent = staffContext("AGENT");
const reason = "replay victim: contain and send the link";

describe("recovery on the 7pay replay", () => {
  let truth: GroundTruth;
  beforeAll(async () => {
    truth = (await seedDatabase(database, { customers: 600, chunkSize: 300, audit: false })).groundTruth;
  }, 300_000);

  it("flags exactly the hijacked victims, with their own address as the last known-good value", async () => {
    expect(truth.emailHijacked.length).toBeGreaterThan(5);
    const flagged: string[] = [];
    for (const victim of truth.victims) {
      const view = await loadRecoveryView(agent, victim.customerId);
      if (view.review.EMAIL) flagged.push(victim.customerId);
    }
    expect(flagged.sort()).toEqual([...truth.emailHijacked].sort());

    for (const customerId of truth.emailHijacked.slice(0, 5)) {
      const view = await loadRecoveryView(agent, customerId);
      const hijack = await prisma.contactChange.findFirstOrThrow({ where: { customerId, field: "EMAIL" } });
      expect(view.customer.email).toBe(hijack.newValue);
      expect(view.history.find((row) => row.suggested)).toMatchObject({ id: hijack.id, oldValue: hijack.oldValue });
    }
  });

  it("a forced reset contains every victim; hijacked ones get no link, the others get theirs", async () => {
    const hijacked = truth.emailHijacked.slice(0, 3);
    const others = truth.victims
      .map((v) => v.customerId)
      .filter((id) => !truth.emailHijacked.includes(id))
      .slice(0, 3);
    for (const customerId of hijacked) {
      const attackerAddress = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).email;
      const summary = await forceReset(agent, { customerId, requireTwoFactor: true, reason });
      expect(summary.delivery).toMatchObject({ kind: "HELD", code: "CONTACT_UNDER_REVIEW" });
      expect(await prisma.outboundMessage.count({ where: { recipient: attackerAddress } })).toBe(0);
      expect(await prisma.customerSession.count({ where: { customerId, revokedAt: null } })).toBe(0);
    }
    for (const customerId of others) {
      const summary = await forceReset(agent, { customerId, requireTwoFactor: true, reason });
      const email = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).email;
      expect(summary.delivery).toMatchObject({ kind: "QUEUED", to: email });
    }
  });
});
