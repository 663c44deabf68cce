// The outbox worker across a database outage that begins while its messages are with the SMTP server (ADR 123). The
// server answers — one message accepted, one refused for now (451) — while the database is away, and stays away
// longer than the worker's first few tries to record the answers. What the server said must still be what the rows
// say once the database is back: the accepted one SENT (not "may have been delivered"), the refused one queued again
// and delivered, each victim mailed once. PostgreSQL only: the outage is a server's.
import { afterEach, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import { staffContext } from "../support/staff";
import { createIncident, createVictims, settled, startTestWorker } from "../support/notify-fixtures";
import { bringTestDatabaseBack, takeTestDatabaseAway } from "../support/postgres-admin";
import { sinkAndWorkerPerFile, waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const smtp = sinkAndWorkerPerFile();
const lead = staffContext("SECURITY_LEAD", { steppedUp: true });

/** The app's SQL runner, counting the outbox's attempts to record outcomes that failed. */
function countingRecordFailures(inner: SqlRunner) {
  const counts = { failedRecords: 0 };
  const runner: SqlRunner = {
    query: (async (text: string, params?: unknown[]) => {
      try {
        return await inner.query(text, params);
      } catch (error) {
        if (text.includes("jsonb_to_recordset")) counts.failedRecords++;
        throw error;
      }
    }) as SqlRunner["query"],
    exec: (text) => inner.exec(text),
  };
  return { runner, counts };
}

afterEach(async () => {
  if (onPostgres) await bringTestDatabaseBack();
});

describe.skipIf(!onPostgres)("outcomes the SMTP server gave while the database was away (PostgreSQL)", () => {
  it("are recorded once it is back: the accepted notice SENT, the deferred one sent again, each victim once", async () => {
    const incident = await createIncident("OPEN");
    await createVictims(incident.id, 2);
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });

    const sql = countingRecordFailures(database.sql);
    const warnings: string[] = [];
    let away = false;
    smtp.sink.failNext(1); // the first message that arrives is refused for now (451); the other is accepted
    smtp.sink.onMessage = async () => {
      if (away) return;
      away = true;
      await takeTestDatabaseAway(); // before the server answers: the answers come while the database is away
    };
    smtp.worker = startTestWorker(smtp.sink, {
      sql: sql.runner,
      concurrency: 2,
      lanes: 1, // one claim of both messages, so both answers wait to be recorded together
      // A short lease, so a row left SENDING is swept UNCERTAIN within the test.
      leaseMs: 4_000,
      recordRetryDelaysMs: [20, 50],
      logger: { info: () => undefined, warn: (message) => warnings.push(message) },
    });

    // The outage outlasts the worker's first tries (three, with those pauses), or the worker gives up.
    await waitFor(
      "four failed tries to record, or the worker giving up",
      () => sql.counts.failedRecords >= 4 || warnings.some((w) => w.includes("will need review")),
    );
    await bringTestDatabaseBack();

    await waitFor("every notice settled", () => settled(incident.id));
    const rows = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT"]);
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 2]);
    for (const row of rows) expect(smtp.sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(1);
    expect(smtp.sink.received.filter((m) => m.acknowledged)).toHaveLength(2);
    expect(warnings.filter((w) => w.includes("will need review"))).toEqual([]);
  });
});
