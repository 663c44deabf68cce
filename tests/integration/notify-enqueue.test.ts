// Queuing notices: the transactional outbox (a message exists if and only if its action committed), dedupe per
// (incident, customer, template), who gets no mail and why, what is refused at preview, permissions and the audit.
import { describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { performAction } from "~/audit/perform-action.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";
import { retryMessage } from "~/notify/notice-queries.server";
import { enqueueNotices, planNotices, previewNotice } from "~/notify/notices.server";
import { enqueueMessage } from "~/notify/outbox.server";
import { TemplateVariablesError } from "~/notify/templates";
import { staffContext } from "../support/staff";
import { createIncident, createVictim, createVictims } from "../support/notify-fixtures";

const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
const agent = staffContext("AGENT", { steppedUp: true });

// The ledger rows the charges-reversed notice reads, written directly: these tests are about the notice, not the
// reversal flow, so each row is exactly what the test names.
function topUp(customerId: string, amount: number, at: string) {
  return prisma.ledgerTransaction.create({ data: { kind: "TOP_UP", customerId, amount, occurredAt: new Date(at) } });
}

/** A purchase: its ledger row and the store's purchase row that the notice names the store from. */
async function purchaseAt(storeId: string, customerId: string, amount: number, at: string) {
  const purchase = await prisma.ledgerTransaction.create({
    data: { kind: "PURCHASE", customerId, amount, occurredAt: new Date(at) },
  });
  await prisma.purchase.create({
    data: { transactionId: purchase.id, customerId, storeId, total: amount, occurredAt: purchase.occurredAt },
  });
  return purchase;
}

function reverse(original: { id: string; customerId: string }, amount: number, at: Date) {
  return prisma.ledgerTransaction.create({
    data: { kind: "REVERSAL", customerId: original.customerId, amount, reversesId: original.id, occurredAt: at },
  });
}

/** An email change on the customer's contact history, as the app or an agent records it. */
async function emailChange(
  customerId: string,
  change: { from: string; to: string; at: string; source: string; deviceId?: string },
) {
  await prisma.contactChange.create({
    data: {
      customerId,
      field: "EMAIL",
      oldValue: change.from,
      newValue: change.to,
      changedAt: new Date(change.at),
      source: change.source,
      deviceId: change.deviceId ?? null,
    },
  });
}

describe("the transactional outbox", () => {
  it("writes the message in the caller's transaction: rolled back with it, committed with it", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    const reset = (fail: boolean) =>
      performAction(lead, { action: "test.reset", permission: "recovery:force-reset" }, async (tx) => {
        const queued = await enqueueMessage(tx, {
          template: "password-reset",
          customerId: victim.id,
          discriminator: fail ? "token-a" : "token-b",
          variables: { resetUrl: "https://wallet.example/reset/abc", expiresAt: new Date(Date.now() + 1_800_000) },
          actor: lead.actor,
        });
        if (fail) throw new DomainError("LATER_STEP_FAILED", "a later step of the action failed");
        return { result: queued };
      });
    await expect(reset(true)).rejects.toThrow("a later step");
    expect(await prisma.outboundMessage.count({ where: { customerId: victim.id } })).toBe(0);
    const queued = await reset(false);
    expect(queued).toMatchObject({ outcome: "queued", recipient: victim.email });
    const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: queued.messageId } });
    expect(row).toMatchObject({ status: "QUEUED", priority: 10, requestedBy: lead.actor.id, incidentId: null });
    expect(row.messageIdHeader).toBe(`<${row.id}@wallet.example>`);
  });

  it("refuses variables that do not satisfy the template, and writes nothing", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await expect(
      prisma.$transaction((tx) =>
        enqueueMessage(tx, {
          template: "password-reset",
          customerId: victim.id,
          variables: { resetUrl: "javascript:alert(1)", expiresAt: new Date() },
        }),
      ),
    ).rejects.toThrow(TemplateVariablesError);
    expect(await prisma.outboundMessage.count({ where: { customerId: victim.id } })).toBe(0);
  });
});

describe("dedupe per (incident, customer, template)", () => {
  it("sends each victim a notice once, however often it is sent", async () => {
    const incident = await createIncident("CONTAINED");
    const victims = await createVictims(incident.id, 3);
    const first = await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(first).toMatchObject({ recipients: 3, queued: 3, duplicates: 0, skipped: 0 });
    const again = await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(again).toMatchObject({ recipients: 3, queued: 0, duplicates: 3 });
    await enqueueNotices(agent, {
      incidentId: incident.id,
      template: "incident-update",
      customerIds: [victims[0]!.id],
    });
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(3);
    // Another template, or another incident status for the update, is another notice.
    await prisma.incident.update({ where: { id: incident.id }, data: { status: "RESOLVED" } });
    const resolved = await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(resolved.queued).toBe(3);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(6);
  });

  it.skipIf(database.mode !== "postgresql")(
    "keeps one message per key when agents send at the same moment",
    async () => {
      const incident = await createIncident("CONTAINED");
      const [victim] = await createVictims(incident.id, 1);
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          enqueueNotices(staffContext("AGENT", { steppedUp: true }), {
            incidentId: incident.id,
            template: "incident-update",
            customerIds: [victim!.id],
          }),
        ),
      );
      expect(results.every((r) => r.status === "fulfilled")).toBe(true);
      const queued = results.map((r) => (r.status === "fulfilled" ? r.value.queued : 0)).reduce((a, b) => a + b, 0);
      expect(queued).toBe(1);
      expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(1);
    },
  );
});

describe("who gets no mail, visibly", () => {
  it("skips a customer without a verified email and records the reason", async () => {
    const incident = await createIncident("CONTAINED");
    const verified = await createVictim(incident.id);
    const unverified = await createVictim(incident.id, { emailVerified: false });
    const result = await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(result).toMatchObject({ queued: 1, skipped: 1 });
    const skipped = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: unverified.id } });
    expect(skipped).toMatchObject({ status: "SKIPPED", recipient: null });
    expect(skipped.skipReason).toMatch(/^NO_VERIFIED_EMAIL: /);
    expect(await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: verified.id } })).toMatchObject({
      status: "QUEUED",
      recipient: verified.email,
    });
    // Once the address is verified, sending again reaches them (the skipped row becomes the message).
    await prisma.customer.update({ where: { id: unverified.id }, data: { emailVerified: true } });
    const again = await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(again).toMatchObject({ queued: 1, duplicates: 1 });
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: skipped.id } })).toMatchObject({
      status: "QUEUED",
      recipient: unverified.email,
      skipReason: null,
    });
  });

  it("skips an address the attacker set during the incident, until staff restore the customer's own", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { email: "attacker-box@evil.example" });
    await emailChange(victim.id, {
      from: "hanako@wallet-test.example",
      to: victim.email,
      at: "2019-07-02T10:00:00+09:00",
      source: "APP",
    });
    const preview = await previewNotice({
      incidentId: incident.id,
      template: "incident-update",
      customerId: victim.id,
    });
    expect(preview.recipientProblem?.reason).toBe("EMAIL_CHANGED_DURING_INCIDENT");
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: victim.id } });
    expect(row).toMatchObject({ status: "SKIPPED", recipient: null });
    expect(row.skipReason).toMatch(/^EMAIL_CHANGED_DURING_INCIDENT: /);

    // Staff restore the old address (recovery records such a change as STAFF_RESTORE): now it goes there.
    await prisma.customer.update({ where: { id: victim.id }, data: { email: "hanako@wallet-test.example" } });
    await emailChange(victim.id, {
      from: "attacker-box@evil.example",
      to: "hanako@wallet-test.example",
      at: new Date().toISOString(),
      source: "STAFF_RESTORE",
    });
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "QUEUED",
      recipient: "hanako@wallet-test.example",
    });
  });
});

describe("whose address may be the attacker's: account recovery's rule", () => {
  // The rule of app/recovery/contact-review.server.ts (ADR 013, 045): an email change not reviewed by an agent since,
  // made within 30 days before the customer's earliest incident, or from a device new to the account.
  async function device(customerId: string, firstSeenAt: string) {
    const row = await prisma.device.create({
      data: { customerId, fingerprint: `dev-${customerId}`, platform: "ios", firstSeenAt: new Date(firstSeenAt) },
    });
    return row.id;
  }

  async function outcomeFor(incidentId: string, customerId: string) {
    await enqueueNotices(lead, { incidentId, template: "incident-update" });
    return prisma.outboundMessage.findFirstOrThrow({
      where: { incidentId, customerId },
      select: { status: true, recipient: true, skipReason: true },
    });
  }

  it("mails an address an agent confirmed with the caller after the app changed it", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { email: "hanako-new@wallet-test.example" });
    const own = { from: "hanako@wallet-test.example", to: victim.email };
    await emailChange(victim.id, { ...own, at: "2019-07-02T10:00:00+09:00", source: "APP" });
    // A security lead approved keeping it (keep-contact.server.ts records the review as STAFF_CONFIRM).
    await emailChange(victim.id, {
      from: victim.email,
      to: victim.email,
      at: "2019-07-05T10:00:00+09:00",
      source: "STAFF_CONFIRM",
    });
    expect(await outcomeFor(incident.id, victim.id)).toMatchObject({ status: "QUEUED", recipient: victim.email });
  });

  it("skips an address the app set 20 days before the incident opened", async () => {
    const incident = await createIncident("CONTAINED"); // opened 2019-07-01 JST
    const victim = await createVictim(incident.id, { email: "attacker-early@evil.example" });
    await emailChange(victim.id, {
      from: "hanako@wallet-test.example",
      to: victim.email,
      at: "2019-06-11T00:00:00+09:00",
      source: "APP",
    });
    const preview = await previewNotice({
      incidentId: incident.id,
      template: "incident-update",
      customerId: victim.id,
    });
    expect(preview.recipientProblem?.reason).toBe("EMAIL_CHANGED_DURING_INCIDENT");
    const row = await outcomeFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "SKIPPED", recipient: null });
    expect(row.skipReason).toContain("2019-06-10T15:00:00.000Z");
  });

  it("skips an address set months before from a device new to the account, not one set from the owner's phone", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { email: "attacker-patient@evil.example" });
    const owner = await createVictim(incident.id, { email: "taro-new@wallet-test.example" });
    await emailChange(victim.id, {
      from: "hanako@wallet-test.example",
      to: victim.email,
      at: "2019-03-02T00:00:00+09:00",
      source: "APP",
      deviceId: await device(victim.id, "2019-03-01T00:00:00+09:00"),
    });
    await emailChange(owner.id, {
      from: "taro@wallet-test.example",
      to: owner.email,
      at: "2019-03-02T00:00:00+09:00",
      source: "APP",
      deviceId: await device(owner.id, "2018-01-01T00:00:00+09:00"),
    });
    expect(await outcomeFor(incident.id, victim.id)).toMatchObject({ status: "SKIPPED", recipient: null });
    expect(await outcomeFor(incident.id, owner.id)).toMatchObject({ status: "QUEUED", recipient: owner.email });
  });

  it("resends only once an agent has confirmed an address the app changed after the notice failed", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    await enqueueNotices(agent, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: victim.id } });
    await prisma.outboundMessage.update({ where: { id: row.id }, data: { status: "FAILED", attempts: 1 } });
    const moved = "hanako-moved@wallet-test.example";
    await prisma.customer.update({ where: { id: victim.id }, data: { email: moved } });
    await emailChange(victim.id, { from: victim.email, to: moved, at: new Date().toISOString(), source: "APP" });
    await expect(retryMessage(agent, row.id)).rejects.toMatchObject({ code: "EMAIL_CHANGED_DURING_INCIDENT" });
    await emailChange(victim.id, { from: moved, to: moved, at: new Date().toISOString(), source: "STAFF_CONFIRM" });
    await retryMessage(agent, row.id);
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "QUEUED",
      recipient: moved,
    });
  });
});

describe("refused at preview, not at send", () => {
  it("refuses a notice whose variables are missing, naming them", async () => {
    const incident = await createIncident("OPEN");
    const open = await createVictim(incident.id, { caseStatus: "OPEN" });
    await expect(
      previewNotice({ incidentId: incident.id, template: "account-secured", customerId: open.id }),
    ).rejects.toThrow(/needs the account to be contained first/);
    await expect(
      previewNotice({ incidentId: incident.id, template: "charges-reversed", customerId: open.id }),
    ).rejects.toThrow(/at least one reversed charge/);
    // Sending it to that one customer is refused the same way, and writes nothing.
    await expect(
      enqueueNotices(agent, { incidentId: incident.id, template: "account-secured", customerIds: [open.id] }),
    ).rejects.toThrow(/contained first/);
    expect(await prisma.outboundMessage.count({ where: { customerId: open.id } })).toBe(0);
  });

  it("plans a bulk send: who will be sent, who already was, who is skipped and why", async () => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 2, { caseStatus: "CONTAINED" });
    await createVictim(incident.id, { caseStatus: "OPEN" });
    await createVictim(incident.id, { caseStatus: "CONTAINED", emailVerified: false });
    const plan = await planNotices({ incidentId: incident.id, template: "account-secured" });
    expect(plan).toMatchObject({ recipients: 4, willQueue: 2, skipped: { MISSING_DATA: 1, NO_VERIFIED_EMAIL: 1 } });
    await enqueueNotices(lead, { incidentId: incident.id, template: "account-secured" });
    const after = await planNotices({ incidentId: incident.id, template: "account-secured" });
    expect(after).toMatchObject({ willQueue: 0, alreadyHandled: { QUEUED: 2, SKIPPED: 2 } });
    const missing = await prisma.outboundMessage.findFirstOrThrow({
      where: { incidentId: incident.id, skipReason: { startsWith: "MISSING_DATA" } },
    });
    expect(missing.skipReason).toBe("MISSING_DATA: notify:needs.securedCase");
  });

  it("renders the reversed charges with their amounts and total from the ledger", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { caseStatus: "REMEDIATED" });
    const store = await prisma.store.create({
      data: { code: `S-${victim.displayId}`, name: "新宿駅前店", area: "Shinjuku" },
    });
    const charge = await topUp(victim.id, 30_000, "2019-07-03T12:00:00Z");
    const purchase = await purchaseAt(store.id, victim.id, 12_500, "2019-07-03T12:10:00Z");
    for (const original of [charge, purchase]) await reverse(original, original.amount, new Date());
    const ja = await previewNotice({ incidentId: incident.id, template: "charges-reversed", customerId: victim.id });
    expect(ja.rendered.text).toContain("新宿駅前店 12,500円（ウォレット残高へ返金）");
    expect(ja.rendered.text).toContain("チャージ 30,000円（ご登録のクレジットカードへ返金）");
    expect(ja.rendered.text).toContain("返金額の合計: 42,500円");
    const en = await previewNotice({
      incidentId: incident.id,
      template: "charges-reversed",
      customerId: victim.id,
      language: "en",
    });
    expect(en.rendered.text).toContain("Total reversed: ¥42,500");
  });

  it("shows a purchase reversed in two parts once, with its total, and lists charges in the order they were made", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { caseStatus: "REMEDIATED" });
    const store = await prisma.store.create({
      data: { code: `S2-${victim.displayId}`, name: "池袋東口店", area: "Ikebukuro" },
    });
    const later = await purchaseAt(store.id, victim.id, 9_800, "2019-07-03T15:00:00Z");
    const earlier = await topUp(victim.id, 20_000, "2019-07-02T09:00:00Z");
    // The later purchase is reversed first, in two parts; the earlier top-up afterwards.
    const parts = [
      { original: later, amount: 4_900, at: "2019-07-05T01:00:00Z" },
      { original: later, amount: 4_900, at: "2019-07-05T02:00:00Z" },
      { original: earlier, amount: 20_000, at: "2019-07-05T03:00:00Z" },
    ];
    for (const part of parts) await reverse(part.original, part.amount, new Date(part.at));
    const ja = await previewNotice({ incidentId: incident.id, template: "charges-reversed", customerId: victim.id });
    const text = ja.rendered.text;
    expect(text.match(/池袋東口店/g)).toHaveLength(1);
    expect(text).toContain("池袋東口店 9,800円（ウォレット残高へ返金）");
    expect(text).not.toContain("4,900円");
    expect(text.indexOf("チャージ 20,000円")).toBeGreaterThan(-1);
    expect(text.indexOf("チャージ 20,000円")).toBeLessThan(text.indexOf("池袋東口店"));
    expect(text).toContain("返金額の合計: 29,800円");
  });
});

describe("permissions and audit", () => {
  it("lets an agent notify one customer but not many; the refusal is audited", async () => {
    const incident = await createIncident("CONTAINED");
    const victims = await createVictims(incident.id, 2);
    const before = await prisma.auditEvent.count({ where: { incidentId: incident.id, outcome: "DENIED" } });
    await expect(enqueueNotices(agent, { incidentId: incident.id, template: "incident-update" })).rejects.toThrow(
      PermissionDeniedError,
    );
    expect(await prisma.auditEvent.count({ where: { incidentId: incident.id, outcome: "DENIED" } })).toBe(before + 1);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);
    await enqueueNotices(agent, {
      incidentId: incident.id,
      template: "incident-update",
      customerIds: [victims[0]!.id],
    });
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it("sends to many only on a fresh step-up, checked by the service itself; the refusal is audited", async () => {
    const incident = await createIncident("CONTAINED");
    const victims = await createVictims(incident.id, 2);
    const stale = staffContext("SECURITY_LEAD", { steppedUp: false });
    await expect(enqueueNotices(stale, { incidentId: incident.id, template: "incident-update" })).rejects.toMatchObject(
      {
        code: "STEP_UP_REQUIRED",
      },
    );
    const denied = await prisma.auditEvent.findFirstOrThrow({
      where: { incidentId: incident.id, action: "notify.send", outcome: "DENIED" },
    });
    expect(denied.after).toEqual({ reason: "step-up-required" });
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);
    // One customer is not a bulk send: no step-up asked.
    await enqueueNotices(stale, {
      incidentId: incident.id,
      template: "incident-update",
      customerIds: [victims[0]!.id],
    });
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it("audits who sent which template to whom, never the content", async () => {
    const incident = await createIncident("CONTAINED");
    const victims = await createVictims(incident.id, 2);
    await enqueueNotices(lead, {
      incidentId: incident.id,
      template: "incident-update",
      reason: "containment announced",
    });
    const rows = await prisma.auditEvent.findMany({
      where: { incidentId: incident.id },
      select: { action: true, actorId: true, targetType: true, targetId: true, after: true, reason: true },
      orderBy: { seq: "asc" },
    });
    const send = rows.find((r) => r.action === "notify.send")!;
    expect(send).toMatchObject({ actorId: lead.actor.id, targetType: "incident", reason: "containment announced" });
    expect(send.after).toMatchObject({ template: "incident-update", queued: 2 });
    const perCustomer = rows.filter((r) => r.action === "notify.enqueue");
    expect(perCustomer.map((r) => r.targetId).sort()).toEqual(victims.map((v) => v.id).sort());
    expect(perCustomer[0]!.after).toMatchObject({ template: "incident-update", status: "QUEUED" });
    const message = await prisma.outboundMessage.findFirstOrThrow({ where: { incidentId: incident.id } });
    const serialised = JSON.stringify(rows);
    expect(serialised).not.toContain(message.subject!);
    expect(serialised).not.toContain("不正");
    expect(serialised).not.toContain("http");
  });

  it("resends a failed message to the customer's current verified address, audited", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    await enqueueNotices(agent, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: victim.id } });
    await expect(retryMessage(agent, row.id)).rejects.toThrow(/only failed or doubtful/i);
    await prisma.outboundMessage.update({
      where: { id: row.id },
      data: { status: "FAILED", attempts: 1, lastError: "550 No such user" },
    });
    await prisma.customer.update({ where: { id: victim.id }, data: { email: "restored@wallet-test.example" } });
    await retryMessage(agent, row.id);
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "QUEUED",
      attempts: 0,
      recipient: "restored@wallet-test.example",
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "notify.retry", targetId: row.id, outcome: "SUCCESS" },
    });
    expect(audit).toMatchObject({ outcome: "SUCCESS", before: { status: "FAILED" }, after: { status: "QUEUED" } });
  });
});
