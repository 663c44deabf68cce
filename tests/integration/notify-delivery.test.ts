// Delivery through the outbox worker to a real SMTP server (tests/support/smtp-sink.ts): what arrives, and what each
// kind of SMTP answer does to the message.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { performAction } from "~/audit/perform-action.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import { retryMessage } from "~/notify/notice-queries.server";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { enqueueMessage } from "~/notify/outbox.server";
import { outboxWorkerHealth } from "~/notify/outbox-worker.server";
import { staffContext } from "../support/staff";
import {
  createIncident,
  createVictim,
  createVictims,
  settled,
  startTestWorker,
  untilTheWorkerHasMovedOn,
} from "../support/notify-fixtures";
import { sinkAndWorkerPerFile, waitFor } from "../support/smtp-sink";

const smtp = sinkAndWorkerPerFile();
const lead = staffContext("SECURITY_LEAD", { steppedUp: true });

/** A reset mail queued the way a forced reset queues it: in an audited transaction, with its link in the body. */
async function queueResetMail(incidentId: string, customerId: string, resetUrl: string): Promise<string> {
  return performAction(
    lead,
    { action: "test.force-reset", permission: "recovery:force-reset", targetType: "customer", targetId: customerId },
    async (tx) => {
      const queued = await enqueueMessage(tx, {
        template: "password-reset",
        customerId,
        incidentId,
        discriminator: `reset-${randomUUID()}`,
        variables: { resetUrl, expiresAt: new Date(Date.now() + 30 * 60_000) },
      });
      return { result: queued.messageId, after: { messageId: queued.messageId } };
    },
  );
}

async function messageFor(incidentId: string, customerId: string) {
  return prisma.outboundMessage.findFirstOrThrow({ where: { incidentId, customerId } });
}

describe("delivery", () => {
  it("delivers a Japanese notice with subject, text and HTML intact, once", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { name: "髙橋 𠮷子 <b>&", preferredLanguage: "ja" });
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("delivery", () => settled(incident.id));

    const row = await messageFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "SENT", attempts: 1, recipient: victim.email, language: "ja" });
    expect(row.smtpMessageId).toBe(row.messageIdHeader);
    expect(row.smtpResponse).toContain("250");
    const mail = smtp.sink.received.find((m) => m.dedupeKey === dedupeHeaderOf(row.dedupeKey))!;
    expect(smtp.sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(1);
    expect(mail.envelopeTo).toEqual([victim.email]);
    expect(mail.messageId).toBe(row.messageIdHeader);
    expect(mail.parsed.subject).toBe("【ご報告】ウォレットへの不正アクセスについて（対策を実施しました）");
    expect(mail.parsed.text).toContain("髙橋 𠮷子 <b>& 様");
    expect(mail.parsed.text).toContain("不正なアクセスの原因となった経路を遮断し");
    expect(mail.parsed.text).toContain(incident.code);
    // HTML: the name is escaped, never markup.
    expect(mail.parsed.html).toContain("髙橋 𠮷子 &lt;b&gt;&amp; 様");
    expect(mail.parsed.html).not.toContain("<b>&");
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });

  it("delivers English to a customer who prefers English", async () => {
    const incident = await createIncident("RESOLVED");
    const victim = await createVictim(incident.id, { name: "Alex Smith", preferredLanguage: "en" });
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("delivery", () => settled(incident.id));
    const row = await messageFor(incident.id, victim.id);
    const mail = smtp.sink.received.find((m) => m.dedupeKey === dedupeHeaderOf(row.dedupeKey))!;
    expect(mail.parsed.subject).toBe("Update: unauthorised access to Wallet accounts (resolved)");
    expect(mail.parsed.text).toContain("Dear Alex Smith,");
  });

  it("retries a 4xx answer with backoff, then delivers exactly once", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.sink.failNext(2);
    const before = smtp.sink.received.length;
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("delivery after two temporary failures", () => settled(incident.id));
    const row = await messageFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "SENT", attempts: 3 });
    expect(row.lastError).toBeNull();
    expect(smtp.sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(1);
    expect(smtp.sink.received.length - before).toBe(1);
  });

  it("gives up after 8 temporary failures and says why", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.sink.failNext(8);
    smtp.worker = startTestWorker(smtp.sink, { backoffBaseMs: 5, backoffMaxMs: 20 });
    await waitFor("retries exhausted", () => settled(incident.id));
    const row = await messageFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: 8, failure: "RETRIES_EXHAUSTED" });
    expect(row.lastError).toMatch(/^gave up after 8 attempts: .*451/);
    expect(smtp.sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(0);
  });

  it("fails a 5xx answer at once, without retrying", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.sink.rejectAll();
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("permanent failure", () => settled(incident.id));
    const row = await messageFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: 1, failure: "REJECTED" });
    expect(row.lastError).toContain("554");
    expect(row.sentAt).toBeNull();
  });

  it("counts a rejected recipient as a failure with the server's reason", async () => {
    const incident = await createIncident("OPEN");
    const [good, bad] = await createVictims(incident.id, 2);
    smtp.sink.rejectRecipient(bad!.email);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("both settled", () => settled(incident.id));
    expect(await messageFor(incident.id, good!.id)).toMatchObject({ status: "SENT" });
    const rejected = await messageFor(incident.id, bad!.id);
    expect(rejected).toMatchObject({ status: "FAILED", attempts: 1, failure: "REJECTED" });
    expect(rejected.lastError).toMatch(/550.*No such user/);
  });

  it("flags a message whose connection dropped after the data as needing review, and never resends it", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    smtp.sink.dropAfterData(1);
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("flagged", () => settled(incident.id));
    // The worker must not try again, not even once it has gone on to a later message.
    await untilTheWorkerHasMovedOn();
    const row = await messageFor(incident.id, victim.id);
    expect(row).toMatchObject({ status: "UNCERTAIN", attempts: 1 });
    expect(row.lastError).toContain("connection lost mid-transaction");
    expect(smtp.sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(1);
  });

  it("delays, never loses, while the SMTP server is down, and delivers each message once when it returns", async () => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 12);
    await smtp.sink.stop();
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    // Each probe of the relay is made by a claim loop coming round again: where it would claim if it ignored the
    // breaker.
    let probes = 0;
    const transport = createPooledTransport(
      { host: "127.0.0.1", port: smtp.sink.port, secure: false, ignoreTLS: true },
      { maxConnections: 4 },
    );
    const verify = transport.verify.bind(transport);
    transport.verify = (() => {
      probes++;
      return verify();
    }) as typeof transport.verify;
    smtp.worker = startTestWorker(smtp.sink, { transport, ownsTransport: true, concurrency: 4 });
    await waitFor("the breaker to open", () => smtp.worker!.stats.breakerOpen);
    // The console's status page reads this (the worker runs in the same process under npm start).
    expect(outboxWorkerHealth().find((w) => w.id === smtp.worker!.id)).toMatchObject({ breakerOpen: true });
    const probesWhenOpen = probes;
    await waitFor("two more probes of the relay", () => probes >= probesWhenOpen + 2);
    const during = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(during.every((m) => m.status === "QUEUED")).toBe(true);
    // Only what was in flight when the server vanished paid an attempt; the rest waited untouched.
    expect(during.filter((m) => m.attempts > 0).length).toBeLessThanOrEqual(4);
    await smtp.sink.restart();
    await waitFor("delivery after the outage", () => settled(incident.id));
    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(after.map((m) => m.status)).toEqual(Array(12).fill("SENT"));
    expect(smtp.worker!.stats).toMatchObject({ breakerOpen: false, unreachableSince: null });
    for (const m of after) expect(smtp.sink.countByKey(dedupeHeaderOf(m.dedupeKey))).toBe(1);
  });

  it("sends a password reset before queued bulk notices, then blanks its body", async () => {
    const incident = await createIncident("OPEN");
    const victims = await createVictims(incident.id, 6);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    const resetUrl = "https://wallet.example/reset/tok_secret_123";
    await queueResetMail(incident.id, victims[3]!.id, resetUrl);
    const order: string[] = [];
    smtp.sink.onMessage = (mail) => void order.push(mail.parsed.subject ?? "");
    smtp.worker = startTestWorker(smtp.sink, { concurrency: 1, lanes: 1 });
    await waitFor("all delivered", () => settled(incident.id));
    smtp.sink.onMessage = null;
    expect(order[0]).toBe("パスワード再設定のご案内");
    const reset = await prisma.outboundMessage.findFirstOrThrow({
      where: { incidentId: incident.id, template: "password-reset" },
    });
    expect(reset).toMatchObject({ status: "SENT", textBody: null, htmlBody: null });
    expect(reset.redactedAt).not.toBeNull();
    const mail = smtp.sink.received.find((m) => m.dedupeKey === dedupeHeaderOf(reset.dedupeKey))!;
    expect(mail.parsed.text).toContain(resetUrl);
    // The audit trail names the template and the message, never the link.
    const audit = await prisma.auditEvent.findMany({
      select: { action: true, before: true, after: true, reason: true },
    });
    expect(audit.some((a) => a.action === "test.force-reset")).toBe(true);
    expect(JSON.stringify(audit)).not.toContain("tok_secret_123");
    expect(JSON.stringify(audit)).not.toContain("パスワード再設定");
  });
});

// A reset link in doubt may have reached the customer, or not; either way it is never sent again (a new reset mints a
// new link), so nothing needs its stored copy and it must not stay readable in the database
// (docs/decisions/069-secrets-in-doubt.md). A notice without a secret keeps its body: a reviewer may resend it.
describe("a secret whose delivery is in doubt", () => {
  async function queueResetAndNotice(resetUrl: string) {
    const incident = await createIncident("OPEN");
    const [resetVictim, noticeVictim] = await createVictims(incident.id, 2);
    const resetId = await queueResetMail(incident.id, resetVictim!.id, resetUrl);
    await enqueueNotices(lead, {
      incidentId: incident.id,
      template: "incident-update",
      customerIds: [noticeVictim!.id],
    });
    const notice = await messageFor(incident.id, noticeVictim!.id);
    return { incident, resetId, noticeId: notice.id };
  }

  const row = (id: string) => prisma.outboundMessage.findUniqueOrThrow({ where: { id } });

  it("is blanked when the server drops the connection after the data, and a resend is refused", async () => {
    const resetUrl = `https://wallet.example/reset/tok_doubt_${randomUUID()}`;
    const { incident, resetId, noticeId } = await queueResetAndNotice(resetUrl);
    smtp.sink.dropAfterData(2);
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("both in doubt", () => settled(incident.id));

    const reset = await row(resetId);
    expect(reset).toMatchObject({ status: "UNCERTAIN", attempts: 1, textBody: null, htmlBody: null });
    expect(reset.redactedAt).not.toBeNull();
    // What a reviewer needs to look it up in the relay's log is still there.
    expect(reset.messageIdHeader).toMatch(/^<.+@.+>$/);
    expect(reset.recipient).not.toBeNull();
    expect(JSON.stringify(reset)).not.toContain(resetUrl);
    // It did reach the server, so the customer may hold the link.
    expect(smtp.sink.received.some((m) => m.parsed.text?.includes(resetUrl))).toBe(true);

    const notice = await row(noticeId);
    expect(notice.status).toBe("UNCERTAIN");
    expect(notice.textBody).not.toBeNull();
    expect(notice.redactedAt).toBeNull();

    await expect(retryMessage(lead, resetId, "customer says nothing arrived")).rejects.toMatchObject({
      code: "SECRET_NOT_RESENT",
    });
    expect(await row(resetId)).toMatchObject({ status: "UNCERTAIN", attempts: 1 });
  });

  it("is blanked when a dead worker's lease runs out (the sweep), and the notice beside it is not", async () => {
    const resetUrl = `https://wallet.example/reset/tok_swept_${randomUUID()}`;
    const { resetId, noticeId } = await queueResetAndNotice(resetUrl);
    // A worker claimed both and died mid-transaction: SENDING, with a lease that has run out.
    await prisma.outboundMessage.updateMany({
      where: { id: { in: [resetId, noticeId] } },
      data: { status: "SENDING", attempts: 1, claimToken: randomUUID(), leaseUntil: new Date(Date.now() - 1_000) },
    });
    smtp.worker = startTestWorker(smtp.sink);
    await waitFor("the sweep", async () => (await row(resetId)).status === "UNCERTAIN");
    await waitFor("the sweep", async () => (await row(noticeId)).status === "UNCERTAIN");

    const reset = await row(resetId);
    expect(reset).toMatchObject({ textBody: null, htmlBody: null });
    expect(reset.redactedAt).not.toBeNull();
    expect(JSON.stringify(reset)).not.toContain(resetUrl);
    const notice = await row(noticeId);
    expect(notice.textBody).not.toBeNull();
    expect(notice.redactedAt).toBeNull();
    expect(smtp.sink.received.some((m) => m.parsed.text?.includes(resetUrl))).toBe(false);
  });
});
