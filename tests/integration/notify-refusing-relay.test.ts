// A relay that refuses to serve us at all (ADR 123): it answers every connection with a 5xx in place of its greeting
// (RFC 5321's 554 "no SMTP service here", RFC 7504's 521 "does not accept mail"). The refusal is about the relay and
// us, never about the victim's address, so it must not be recorded as the victim's mail bouncing: each notice waits
// behind the breaker, and once the relay serves again each victim gets it once.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import { staffContext } from "../support/staff";
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
