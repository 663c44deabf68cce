// A notice campaign's progress on the incident dashboard, reconciled with the outbox after the real worker delivered to
// a real SMTP server that accepts, refuses for good, refuses for a while, and drops the connection after the data:
// each message lands in exactly one of delivered / bounced / failed / uncertain / skipped / queued, and the counts
// equal an independent count of the outbox rows and of what the server received.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { loadCommandFigures } from "~/incidents/command/figures.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import type { OutboxWorker } from "~/notify/outbox-worker.server";
import { staffContext } from "../support/staff";
import { createIncident, createVictim, settled, startTestWorker } from "../support/notify-fixtures";
import { SmtpSink, waitFor } from "../support/smtp-sink";

const TEMPLATE = "incident-update";
let sink: SmtpSink;
const lead = staffContext("SECURITY_LEAD", { steppedUp: true });

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterAll(async () => {
  await sink.stop();
});

/** Sends one customer's notice through a worker of its own and waits until the outbox has settled it. */
async function deliver(incidentId: string, customerId: string, options: Parameters<typeof startTestWorker>[1] = {}) {
  await enqueueNotices(lead, { incidentId, template: TEMPLATE, customerIds: [customerId] });
  const worker: OutboxWorker = startTestWorker(sink, options);
  try {
    await waitFor("the notice settled", () => settled(incidentId));
  } finally {
    await worker.stop();
    sink.accept();
  }
}

describe("campaign progress", () => {
  it("counts delivered, bounced, failed, uncertain, skipped and queued as the outbox and the server saw them", async () => {
    const incident = await createIncident("CONTAINED");
    const accepted = [await createVictim(incident.id), await createVictim(incident.id)];
    const unknownUser = await createVictim(incident.id);
    const busyServer = await createVictim(incident.id);
    const cutOff = await createVictim(incident.id);
    const noAddress = await createVictim(incident.id, { emailVerified: false });
    const later = await createVictim(incident.id);

    for (const victim of accepted) await deliver(incident.id, victim.id);
    sink.rejectRecipient(unknownUser.email); // 550 at RCPT: a bounce
    await deliver(incident.id, unknownUser.id);
    sink.failNext(3); // 451 until the worker gives up
    await deliver(incident.id, busyServer.id, { maxAttempts: 3, backoffBaseMs: 5, backoffMaxMs: 20 });
    sink.dropAfterData(1); // the connection dies after the data, before the reply
    await deliver(incident.id, cutOff.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: TEMPLATE, customerIds: [noAddress.id] });
    await enqueueNotices(lead, { incidentId: incident.id, template: TEMPLATE, customerIds: [later.id] }); // no worker

    const figures = await loadCommandFigures(incident.id);
    const [campaign] = figures.campaigns;

    // Independently: the outbox rows, and what the SMTP server actually received for this incident.
    const rows = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    const received = rows.filter((r) => sink.countByKey(dedupeHeaderOf(r.dedupeKey)) > 0);
    const where = (predicate: (r: (typeof rows)[number]) => boolean) => rows.filter(predicate).length;
    const expected = {
      template: TEMPLATE,
      total: rows.length,
      queued: where((r) => r.status === "QUEUED" || r.status === "SENDING"),
      delivered: where((r) => r.status === "SENT"),
      bounced: where((r) => r.status === "FAILED" && r.failure === "REJECTED"),
      failed: where((r) => r.status === "FAILED" && r.failure !== "REJECTED"),
      uncertain: where((r) => r.status === "UNCERTAIN"),
      skipped: where((r) => r.status === "SKIPPED"),
      sent: where((r) => ["SENT", "FAILED", "UNCERTAIN"].includes(r.status)),
    };
    expect(figures.campaigns).toEqual([expected]);
    expect(campaign).toMatchObject({
      total: 7,
      queued: 1,
      sent: 5,
      delivered: 2,
      bounced: 1,
      failed: 1,
      uncertain: 1,
      skipped: 1,
    });
    // Delivered means the server took it; an uncertain message reached the server too (its data was sent), which is
    // exactly why nothing resends it on its own; a bounce and a give-up never did.
    expect(received.map((r) => r.customerId).sort()).toEqual([...accepted.map((v) => v.id), cutOff.id].sort());
    const byCustomer = new Map(rows.map((r) => [r.customerId, r]));
    expect(byCustomer.get(unknownUser.id)).toMatchObject({ status: "FAILED", failure: "REJECTED" });
    expect(byCustomer.get(busyServer.id)).toMatchObject({ status: "FAILED", failure: "RETRIES_EXHAUSTED" });
    expect(byCustomer.get(cutOff.id)).toMatchObject({ status: "UNCERTAIN", failure: null });
    expect(campaign!.queued + campaign!.sent + campaign!.skipped).toBe(campaign!.total);
    expect(campaign!.delivered + campaign!.bounced + campaign!.failed + campaign!.uncertain).toBe(campaign!.sent);
  });
});
