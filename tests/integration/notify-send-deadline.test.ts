// A mail server that trickles its answer to a message's data, a byte at a time and never finishing (ADR 090): the
// transport's socket timeout counts only silence, so without a deadline of its own the message would stay SENDING for
// as long as the server likes. The worker closes the connection at the send deadline and records the message
// UNCERTAIN (the server may have taken it), and never sends it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { enqueueNotices } from "~/notify/notices.server";
import { startOutboxWorker, type OutboxWorker } from "~/notify/outbox-worker.server";
import {
  createIncident,
  createVictim,
  QUIET_LOGGER,
  settled,
  untilTheWorkerHasMovedOn,
} from "../support/notify-fixtures";
import { waitFor } from "../support/smtp-sink";
import { staffContext } from "../support/staff";
import { startTricklingSmtp, type TricklingSmtp } from "../support/trickling-smtp";

const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
const SEND_DEADLINE_MS = 1_500;

let trickler: TricklingSmtp;
let worker: OutboxWorker | null = null;
beforeAll(async () => {
  trickler = await startTricklingSmtp();
});
afterAll(async () => {
  await worker?.stop();
  await trickler.close();
});

describe("a mail server that trickles its answer", () => {
  it("is cut off at the send deadline: the message UNCERTAIN, the connection closed, nothing sent twice", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update", customerIds: [victim.id] });
    const transport = createPooledTransport(
      { host: "127.0.0.1", port: trickler.port, secure: false, ignoreTLS: true },
      { maxConnections: 2 },
    );
    worker = startOutboxWorker({
      transport,
      ownsTransport: true,
      concurrency: 2,
      pollIntervalMs: 20,
      sendDeadlineMs: SEND_DEADLINE_MS,
      logger: QUIET_LOGGER,
    });

    // Each trickled byte comes well inside the transport's 30 s socket timeout: only the deadline can end this.
    await waitFor("the message to be settled", () => settled(incident.id), 20_000);
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { incidentId: incident.id } });
    expect(row).toMatchObject({ status: "UNCERTAIN", attempts: 1 });
    expect(row.lastError).toContain(`send deadline (${SEND_DEADLINE_MS} ms)`);
    await waitFor("the trickling connection to be closed", () => trickler.closedWhileTrickling() >= 1, 10_000);
    expect(worker.stats.uncertain).toBe(1);

    // The worker must not send it again, not even once it has gone on to a later message (which the server trickles
    // too, so that one ends in doubt as well).
    await untilTheWorkerHasMovedOn();
    expect(trickler.received.filter((key) => key === dedupeHeaderOf(row.dedupeKey))).toHaveLength(1);
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "UNCERTAIN",
      attempts: 1,
    });
  });
});
