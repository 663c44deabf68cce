// "Exactly once" across crashes: at most one email per dedupe key, and every message delivered (or, for the few
// that were mid-transaction when a worker died hard, flagged for review and then delivered by a reviewer's resend).
// The PostgreSQL-only tests kill a real worker process (`npm run worker`'s script) with SIGKILL and SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { createPooledTransport } from "~/notify/mail-transport.server";
import { retryMessage } from "~/notify/notice-queries.server";
import { enqueueNotices } from "~/notify/notices.server";
import { startOutboxWorker, type OutboxWorker } from "~/notify/outbox-worker.server";
import { staffContext } from "../support/staff";
import { createIncident, createVictims, QUIET_LOGGER, settled, startTestWorker } from "../support/notify-fixtures";
import { settleBeforeLetGo } from "../support/order-of-events";
import { SmtpSink, waitFor } from "../support/smtp-sink";

process.env.FIREBREAK_TEST_CLOCK = "1";
const LEASE_MS = 60_000;
const PAST_THE_LEASE = 2 * LEASE_MS;
const STOP_GRACE_MS = 1_000;
const onPostgres = database.mode === "postgresql";
const lead = staffContext("SECURITY_LEAD", { steppedUp: true });

let sink: SmtpSink;
const workers: OutboxWorker[] = [];

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterEach(async () => {
  sink.onMessage = null;
  sink.accept();
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  sink.clearReceived();
  resetClock();
});
afterAll(async () => {
  await sink.stop();
});

/** A SQL runner that can be cut off, as a process that dies loses its database connection. */
function cuttable(inner: SqlRunner) {
  let cut = false;
  const runner: SqlRunner = {
    query: (text, params) => (cut ? Promise.reject(new Error("connection terminated")) : inner.query(text, params)),
    exec: (text) => (cut ? Promise.reject(new Error("connection terminated")) : inner.exec(text)),
  };
  return { runner, cut: () => (cut = true) };
}

async function incidentWithQueuedNotices(victims: number) {
  const incident = await createIncident("CONTAINED");
  await createVictims(incident.id, victims);
  await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });
  const rows = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
  return { incident, rows };
}

function deliveries(dedupeKey: string): number {
  return sink.countByKey(dedupeHeaderOf(dedupeKey));
}

/** After a hard kill and a restart: nothing sent twice, nothing lost, doubt limited to what was in flight. */
async function expectAtMostOnceThenReviewToDelivery(incidentId: string, total: number, inFlightBound: number) {
  const rows = await prisma.outboundMessage.findMany({ where: { incidentId } });
  expect(rows).toHaveLength(total);
  for (const row of rows) expect(deliveries(row.dedupeKey)).toBeLessThanOrEqual(1);
  const sent = rows.filter((r) => r.status === "SENT");
  const doubtful = rows.filter((r) => r.status === "UNCERTAIN");
  expect(sent.length + doubtful.length).toBe(total);
  expect(doubtful.length).toBeLessThanOrEqual(inFlightBound);
  for (const row of sent) expect(deliveries(row.dedupeKey)).toBe(1);
  // A reviewer resends only what the mail server never received (here: what the sink never got).
  for (const row of doubtful) {
    if (deliveries(row.dedupeKey) === 0) await retryMessage(lead, row.id, "not in the relay's log");
  }
  await waitFor("resent messages delivered", () => settled(incidentId));
  for (const row of rows) expect(deliveries(row.dedupeKey)).toBe(1);
}

describe("crash safety (in-process)", () => {
  it("never resends a message the server accepted before the worker could mark it sent", async () => {
    const { incident, rows } = await incidentWithQueuedNotices(5);
    const db = cuttable(database.sql);
    let crashedOn: string | null = null;
    sink.onMessage = (mail) => {
      if (crashedOn) return;
      crashedOn = mail.dedupeKey;
      db.cut(); // the worker "dies" now: the server has the message, the row still says SENDING
    };
    const first = startTestWorker(sink, { sql: db.runner, concurrency: 1, lanes: 1, leaseMs: LEASE_MS });
    await waitFor("the crash", () => crashedOn);
    await first.stop();
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id, status: "SENDING" } })).toBe(1);

    advanceClock(PAST_THE_LEASE);
    workers.push(startTestWorker(sink, { leaseMs: LEASE_MS }));
    await waitFor("everything settled", () => settled(incident.id));
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrong resend to show up

    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    const doubtful = after.filter((r) => r.status === "UNCERTAIN");
    expect(doubtful).toHaveLength(1);
    expect(dedupeHeaderOf(doubtful[0]!.dedupeKey)).toBe(crashedOn);
    expect(doubtful[0]!.lastError).toContain("may have been delivered");
    expect(after.filter((r) => r.status === "SENT")).toHaveLength(rows.length - 1);
    for (const row of after) expect(deliveries(row.dedupeKey)).toBe(1);
  });

  it("a worker stopped gracefully mid-batch leaves nothing in doubt; the next one delivers the rest, once each", async () => {
    const { incident, rows } = await incidentWithQueuedNotices(40);
    let stopping: Promise<void> | null = null;
    const first = startTestWorker(sink, { leaseMs: LEASE_MS });
    sink.onMessage = async () => {
      if (!stopping && sink.received.length >= 10) stopping = first.stop();
      await new Promise((resolve) => setTimeout(resolve, 3));
    };
    await waitFor("the stop", () => stopping !== null);
    await stopping;
    const midway = await prisma.outboundMessage.groupBy({
      by: ["status"],
      where: { incidentId: incident.id },
      _count: { _all: true },
    });
    expect(midway.map((g) => g.status).sort()).toEqual(["QUEUED", "SENT"]);

    workers.push(startTestWorker(sink, { leaseMs: LEASE_MS }));
    await waitFor("everything sent", () => settled(incident.id));
    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(after.every((r) => r.status === "SENT")).toBe(true);
    for (const row of rows) expect(deliveries(row.dedupeKey)).toBe(1);
  });

  it("a worker stopped while the server hangs after the data stops within its grace, the message UNCERTAIN, never resent", async () => {
    const { incident, rows } = await incidentWithQueuedNotices(3);
    // The server takes the first message's data and then says nothing: the production transport would wait for its
    // socket timeout (longer than a process's whole shutdown deadline) before the worker could record anything.
    let release: () => void = () => undefined;
    let hung: string | null = null;
    sink.onMessage = (mail) => {
      if (hung) return;
      hung = mail.dedupeKey;
      return new Promise<void>((resolve) => (release = resolve));
    };
    const first = startTestWorker(sink, { concurrency: 1, lanes: 1, leaseMs: LEASE_MS, stopGraceMs: STOP_GRACE_MS });
    await waitFor("the hang", () => hung);
    // The server is let go only once the stop has returned (or long past the grace): a stop that waited for the server
    // instead of its grace returns only after it.
    const { settledBeforeLetGo } = await settleBeforeLetGo(first.stop(), () => release(), 20 * STOP_GRACE_MS);
    expect(settledBeforeLetGo).toBe(true);
    const after = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    const inDoubt = after.filter((r) => r.status === "UNCERTAIN");
    expect(inDoubt.map((r) => dedupeHeaderOf(r.dedupeKey))).toEqual([hung]);
    expect(after.filter((r) => r.status === "SENDING")).toEqual([]);

    // The next worker delivers the rest and never the one in doubt.
    workers.push(startTestWorker(sink, { leaseMs: LEASE_MS }));
    await waitFor(
      "the rest sent",
      async () =>
        (await prisma.outboundMessage.count({ where: { incidentId: incident.id, status: "SENT" } })) ===
        rows.length - 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrong resend to show up
    for (const row of rows) expect(deliveries(row.dedupeKey)).toBe(1);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id, status: "UNCERTAIN" } })).toBe(1);
  }, 60_000);

  it("a worker that dies hard mid-batch (database and SMTP connections gone) never causes a second email", async () => {
    const { incident } = await incidentWithQueuedNotices(40);
    const db = cuttable(database.sql);
    const concurrency = 4;
    const transport = createPooledTransport(
      { host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true },
      { maxConnections: concurrency },
    );
    const first = startOutboxWorker({
      transport,
      sql: db.runner,
      concurrency,
      leaseMs: LEASE_MS,
      pollIntervalMs: 20,
      recordRetryDelaysMs: [5],
      logger: QUIET_LOGGER,
    });
    let killed = false;
    sink.onMessage = async () => {
      if (!killed && sink.received.length >= 12) {
        killed = true;
        db.cut();
        transport.close(); // in-flight SMTP transactions are cut off wherever they are
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    await waitFor("the kill", () => killed);
    await first.stop();

    advanceClock(PAST_THE_LEASE);
    workers.push(startTestWorker(sink, { leaseMs: LEASE_MS }));
    await waitFor("everything settled", () => settled(incident.id));
    await expectAtMostOnceThenReviewToDelivery(incident.id, 40, concurrency);
  });
});

describe.skipIf(!onPostgres)("crash safety (a real worker process, PostgreSQL)", () => {
  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(sink.port),
        SMTP_SECURE: "false",
        NOTIFY_SEND_RATE: "0",
        NOTIFY_SMTP_CONNECTIONS: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return child;
  }
  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
    });

  it("SIGKILL mid-batch, then a restart: at most one email per key, and review gets every message delivered", async () => {
    const { incident } = await incidentWithQueuedNotices(60);
    const child = spawnWorker();
    let killed = false;
    sink.onMessage = async () => {
      if (!killed && sink.received.filter((m) => m.acknowledged).length >= 20) {
        killed = true;
        // The server has this message; the worker dies before it can hear the "250".
        child.kill("SIGKILL");
        await exited(child);
      }
    };
    const before = sink.received.length;
    await waitFor("the kill", () => killed, 60_000);
    await exited(child);
    expect(sink.received.length - before).toBeGreaterThanOrEqual(20);

    advanceClock(PAST_THE_LEASE * 2); // past the killed worker's (default, two-minute) lease
    workers.push(startTestWorker(sink));
    await waitFor("everything settled", () => settled(incident.id), 60_000);
    await expectAtMostOnceThenReviewToDelivery(incident.id, 60, 4);
  });

  it("SIGTERM mid-batch: the process finishes what is in flight and exits 0; the restart delivers the rest once", async () => {
    const { incident, rows } = await incidentWithQueuedNotices(60);
    const child = spawnWorker();
    let signalled = false;
    sink.onMessage = async () => {
      if (!signalled && sink.received.length >= 15) {
        signalled = true;
        child.kill("SIGTERM");
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    await waitFor("the signal", () => signalled, 60_000);
    expect(await exited(child)).toBe(0);
    expect(
      await prisma.outboundMessage.count({
        where: { incidentId: incident.id, status: { in: ["SENDING", "UNCERTAIN"] } },
      }),
    ).toBe(0);

    workers.push(startTestWorker(sink));
    await waitFor("everything sent", () => settled(incident.id), 60_000);
    for (const row of rows) expect(deliveries(row.dedupeKey)).toBe(1);
  });

  it("two workers on one queue never send a message twice", async () => {
    const { incident, rows } = await incidentWithQueuedNotices(80);
    workers.push(startTestWorker(sink), startTestWorker(sink));
    await waitFor("everything sent", () => settled(incident.id), 60_000);
    for (const row of rows) expect(deliveries(row.dedupeKey)).toBe(1);
    expect(workers[0]!.stats.sent).toBeGreaterThan(0);
    expect(workers[1]!.stats.sent).toBeGreaterThan(0);
  });
});
