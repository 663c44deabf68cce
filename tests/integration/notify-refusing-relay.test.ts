// A relay that refuses to serve us at all (ADR 123): it answers every connection with a 5xx in place of its greeting
// (RFC 5321's 554 "no SMTP service here", RFC 7504's 521 "does not accept mail"). The refusal is about the relay and
// us, never about the victim's address, so it must not be recorded as the victim's mail bouncing: each notice waits
// behind the breaker, and once the relay serves again each victim gets it once. The same for a relay that refuses our
// sender at MAIL FROM (a login now required, this sender no longer allowed to relay).
import net from "node:net";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import { staffContext } from "../support/staff";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { createIncident, createVictims, settled, startTestWorker, statusCounts } from "../support/notify-fixtures";
import { sinkAndWorkerPerFile, waitFor } from "../support/smtp-sink";

const smtp = sinkAndWorkerPerFile();
const lead = staffContext("SECURITY_LEAD", { steppedUp: true });

describe("a relay that refuses every session in its greeting", () => {
  it.each([
    { code: 554, message: "5.7.1 No SMTP service for you here" },
    { code: 521, message: "5.3.2 This host does not accept mail" },
  ])("holds every notice behind the breaker on a $code greeting, then delivers each once", async (reply) => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 6);
    smtp.sink.refuseSessions(reply);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    smtp.worker = startTestWorker(smtp.sink);

    // Either the worker treats the relay as unavailable (and the other lane's batch, claimed before the breaker
    // opened, is back in the queue too), or it settles the notices as something else (the defect).
    await waitFor("the breaker open with nothing in flight, or the notices settled", async () => {
      const counts = await statusCounts(incident.id);
      return (smtp.worker!.stats.breakerOpen && !counts.SENDING) || (await settled(incident.id));
    });
    const during = await statusCounts(incident.id);
    expect(during).toEqual({ QUEUED: 6 });
    expect(smtp.worker.stats.lastProblem).toContain(String(reply.code));
    expect(smtp.sink.received).toHaveLength(0);

    smtp.sink.accept();
    await waitFor("delivery once the relay serves again", () => settled(incident.id));
    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(after.map((m) => m.status)).toEqual(Array(6).fill("SENT"));
    for (const m of after) {
      expect(m.failure).toBeNull();
      expect(smtp.sink.countByKey(dedupeHeaderOf(m.dedupeKey))).toBe(1);
    }
    smtp.sink.clearReceived();
  });
});

describe("a relay that refuses our sender at MAIL FROM", () => {
  // A relay that starts asking for a login (530), or stops letting this sender relay (550 / 553 5.7.1), refuses every
  // message at MAIL FROM — before any recipient was named: our configuration, not the victim's address.
  it.each([
    { code: 530, message: "5.7.0 Authentication required" },
    { code: 550, message: "5.7.1 Sender not permitted to relay" },
    { code: 553, message: "5.7.1 Sender address rejected: not owned by user" },
  ])("holds every notice behind the breaker on a $code, then delivers each once", async (reply) => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 6);
    smtp.sink.refuseSender(reply);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    smtp.worker = startTestWorker(smtp.sink);

    await waitFor("the breaker open with nothing in flight, or the notices settled", async () => {
      const counts = await statusCounts(incident.id);
      return (smtp.worker!.stats.breakerOpen && !counts.SENDING) || (await settled(incident.id));
    });
    expect(await statusCounts(incident.id)).toEqual({ QUEUED: 6 });
    expect(smtp.worker.stats.lastProblem).toContain(String(reply.code));
    expect(smtp.sink.received).toHaveLength(0);

    smtp.sink.accept();
    await waitFor("delivery once the relay takes our sender again", () => settled(incident.id));
    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(after.map((m) => m.status)).toEqual(Array(6).fill("SENT"));
    for (const m of after) expect(smtp.sink.countByKey(dedupeHeaderOf(m.dedupeKey))).toBe(1);
    smtp.sink.clearReceived();
  });
});

/**
 * A relay in front of the sink that, while `dropping`, greets each connection itself and drops it at the client's first
 * command (EHLO), before any message could be handed over; otherwise it passes the connection on to the sink.
 */
async function droppingFront(sinkPort: number) {
  const state = { dropping: true };
  const server = net.createServer((client) => {
    client.on("error", () => undefined);
    if (state.dropping) {
      client.write("220 relay.example ESMTP\r\n");
      client.once("data", () => client.destroy());
      return;
    }
    const upstream = net.connect(sinkPort, "127.0.0.1");
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    state,
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a relay that drops every session at its hello", () => {
  it("leaves in doubt only the batch in flight, holds the rest behind the breaker, then delivers them once", async () => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 6);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
    const front = await droppingFront(smtp.sink.port);
    try {
      const transport = createPooledTransport(
        { host: "127.0.0.1", port: front.port, secure: false, ignoreTLS: true },
        { maxConnections: 2 },
      );
      smtp.worker = startTestWorker(smtp.sink, { transport, ownsTransport: true, concurrency: 2, lanes: 1 });
      await waitFor("the breaker open with nothing in flight, or the notices settled", async () => {
        const counts = await statusCounts(incident.id);
        return (smtp.worker!.stats.breakerOpen && !counts.SENDING) || (await settled(incident.id));
      });
      // The drop comes with no reply, so the two in flight may have been taken: in doubt, as always. The rest wait.
      expect(await statusCounts(incident.id)).toEqual({ UNCERTAIN: 2, QUEUED: 4 });

      front.state.dropping = false;
      await waitFor("delivery once the relay serves again", () => settled(incident.id));
      const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
      expect(after.filter((m) => m.status === "SENT")).toHaveLength(4);
      for (const m of after) {
        expect(smtp.sink.countByKey(dedupeHeaderOf(m.dedupeKey))).toBe(m.status === "SENT" ? 1 : 0);
      }
    } finally {
      await smtp.worker?.stop();
      smtp.worker = null;
      await front.close();
      smtp.sink.clearReceived();
    }
  });
});
