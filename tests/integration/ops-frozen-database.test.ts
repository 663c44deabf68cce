// A database that is connected and then stops answering (docs/decisions/080-read-bounds.md): a server frozen after
// the connection opened (a proxy in front of it that stops forwarding, as a SIGSTOPped server looks), and a lock held
// for ever by another session. Every read is refused within its bounds, as "the database is not answering" (a 503 in
// the member's language over HTTP), before the server answers again; and the same pools answer once it does.
// Each bound is proven by the order of events, not by a clock: the refusal arrives while the server is still frozen
// (or the lock still held), and the test only lets it go after the refusal, or long after every bound has passed.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ANSWER_GRACE_MS } from "~/db/bounded-client.server";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { isConnectionLoss, isDatabaseNotAnswering } from "~/db/transient-errors";
import en from "~/i18n/locales/en/common";
import ja from "~/i18n/locales/ja/common";
import { enqueueNotices } from "~/notify/notices.server";
import type { OutboxWorker } from "~/notify/outbox-worker.server";
import { createIncident, createVictims, settled, startTestWorker } from "../support/notify-fixtures";
import { settleBeforeLetGo } from "../support/order-of-events";
import { startPausableProxy, type PausableProxy } from "../support/pausable-proxy";
import { SmtpSink } from "../support/smtp-sink";
import { staffContext } from "../support/staff";

// The console's lock timeout for this file, short so the test waits seconds rather than the default's ten.
const LOCK_TIMEOUT_MS = 1_000;
vi.hoisted(() => {
  process.env.FIREBREAK_DB_LOCK_TIMEOUT_MS = "1000";
});

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const BOUNDS = { statementTimeoutMs: 1_000, lockTimeoutMs: LOCK_TIMEOUT_MS };
// Far past every bound under test: the server thaws (or the lock goes) then whatever happened, so a missing bound
// shows as a read that was answered after the thaw instead of a test that hangs.
const THAW_AFTER_MS = 8 * (BOUNDS.statementTimeoutMs + ANSWER_GRACE_MS);

// "connection dropped": the caller also sees a lost connection, which the workers already retry after a backoff.
type Outcome =
  "refused, not answering" | "refused, not answering, connection dropped" | "refused otherwise" | "answered";

/** What `work` came to, recorded in `events` when it settles. */
async function settle(events: string[], label: string, work: Promise<unknown>): Promise<Outcome> {
  const outcome: Outcome = await work.then(
    () => "answered",
    (error: unknown) =>
      !isDatabaseNotAnswering(error)
        ? "refused otherwise"
        : isConnectionLoss(error)
          ? "refused, not answering, connection dropped"
          : "refused, not answering",
  );
  events.push(`${label}: ${outcome}`);
  return outcome;
}

/** Runs `hold` now and `letGo` once every read has settled, or at THAW_AFTER_MS, whichever is first. */
async function whileHeld(
  events: string[],
  hold: () => Promise<void>,
  letGo: () => Promise<void>,
  reads: () => Array<Promise<unknown>>,
): Promise<void> {
  await hold();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    events.push("let go");
    await letGo();
  };
  const thaw = setTimeout(() => void release(), THAW_AFTER_MS);
  try {
    await Promise.all(reads());
  } finally {
    clearTimeout(thaw);
    await release();
  }
}

describe.skipIf(!onPostgres)("a database that stops answering after the connection opened (PostgreSQL)", () => {
  let proxy: PausableProxy;
  let db: Database;

  beforeAll(async () => {
    proxy = await startPausableProxy(process.env.DATABASE_URL!);
    db = await openDatabaseAt({ url: proxy.url, bounds: BOUNDS }, { migrate: false });
  });
  afterAll(async () => {
    proxy?.resume();
    await db?.close().catch(() => undefined);
    await proxy?.close();
  });

  it("every kind of read is refused as not answering while the server is frozen, and answers once it thaws", async () => {
    // Warm every pool, so the reads below go out on connections that are already open.
    await db.prisma.killSwitch.findMany();
    await db.sql.query("SELECT 1");
    await db.readOnlySql({ statementTimeoutMs: 500 }).query("SELECT 1");

    const events: string[] = [];
    const outcomes: Outcome[] = [];
    await whileHeld(
      events,
      async () => proxy.pause(),
      async () => proxy.resume(),
      () => [
        settle(events, "prisma", db.prisma.killSwitch.findMany()).then((o) => outcomes.push(o)),
        settle(
          events,
          "prisma transaction",
          db.prisma.$transaction((tx) => tx.staffUser.count()),
        ).then((o) => outcomes.push(o)),
        settle(events, "sql", db.sql.query("SELECT 1")).then((o) => outcomes.push(o)),
        settle(events, "read-only", db.readOnlySql({ statementTimeoutMs: 500 }).query("SELECT 1")).then((o) =>
          outcomes.push(o),
        ),
      ],
    );
    expect(outcomes).toEqual(Array(4).fill("refused, not answering, connection dropped"));
    expect(events.at(-1)).toBe("let go");

    // The same pools answer again: the connections given up on were dropped, new ones opened.
    await db.prisma.killSwitch.findMany();
    expect((await db.sql.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    expect((await db.readOnlySql({ statementTimeoutMs: 500 }).query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });
});

describe.skipIf(!onPostgres)("a table locked for ever by another session (PostgreSQL)", () => {
  let locker: pg.Client;
  let db: Database;

  beforeAll(async () => {
    db = await openDatabaseAt({ url: process.env.DATABASE_URL!, bounds: BOUNDS }, { migrate: false });
    locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await db?.close();
  });

  it("reads of it are refused at the lock timeout while the lock is held; the next read after it goes answers", async () => {
    const events: string[] = [];
    const outcomes: Outcome[] = [];
    await whileHeld(
      events,
      async () => {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE kill_switch IN ACCESS EXCLUSIVE MODE");
      },
      async () => {
        await locker.query("ROLLBACK");
      },
      () => [
        settle(events, "prisma", db.prisma.killSwitch.findMany()).then((o) => outcomes.push(o)),
        settle(events, "sql", db.sql.query("SELECT count(*) FROM kill_switch")).then((o) => outcomes.push(o)),
      ],
    );
    expect(outcomes).toEqual(["refused, not answering", "refused, not answering"]);
    expect(events.at(-1)).toBe("let go");
    await db.prisma.killSwitch.findMany();
  });

  it("a console page answers 503 saying the database is not answering, in the member's language, never a 500", async () => {
    const { startHttpApp } = await import("../support/http-app");
    const { createStaff, signIn } = await import("../support/staff");
    const { dataPath } = await import("../support/single-fetch");
    const app = await startHttpApp();
    try {
      const japanese = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
      const english = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "en" }));
      expect((await japanese.get("/kill-switches")).status).toBe(200);

      const events: string[] = [];
      const answers: Array<{ who: string; status: number; text: string }> = [];
      const ask = async (who: "ja" | "en", client: typeof japanese, url: string) => {
        // The browser says English for both: the member's own setting decides.
        const response = await client.request(url, { headers: { "accept-language": "en" } });
        const text = await response.text();
        answers.push({ who, status: response.status, text });
        events.push(`${who} ${url}: ${response.status}`);
      };
      await whileHeld(
        events,
        async () => {
          await locker.query("BEGIN");
          await locker.query("LOCK TABLE kill_switch IN ACCESS EXCLUSIVE MODE");
        },
        async () => {
          await locker.query("ROLLBACK");
        },
        () => [
          ask("ja", japanese, "/kill-switches"),
          ask("en", english, "/kill-switches"),
          ask("ja", japanese, dataPath("/kill-switches", ["routes/kill-switches._index"])),
        ],
      );
      expect(events.at(-1)).toBe("let go");
      for (const { who, status, text } of answers) {
        expect(status).toBe(503);
        expect(text).toContain((who === "ja" ? ja : en).errorPage.databaseNotAnswering.slice(0, 20));
        expect(text).not.toMatch(/\n\s+at /);
      }
      // Served again once the lock is gone, without a restart.
      expect((await japanese.get("/kill-switches")).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe.skipIf(!onPostgres)("the outbox worker when its server freezes and is replaced (PostgreSQL)", () => {
  let proxy: PausableProxy;
  let db: Database;
  let sink: SmtpSink;
  let worker: OutboxWorker | undefined;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    proxy = await startPausableProxy(process.env.DATABASE_URL!);
    db = await openDatabaseAt({ url: proxy.url, bounds: BOUNDS }, { migrate: false });
  });
  afterAll(async () => {
    proxy?.resume();
    await worker?.stop();
    await db?.close().catch(() => undefined);
    await proxy?.close();
    await sink?.stop();
  });

  it("gives up on the frozen connections and delivers through the new server before the old one ever answers", async () => {
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 3);
    worker = startTestWorker(sink, { sql: db.sql });
    // The worker polls through the proxy; freeze every connection it has, let it send statements into the freeze,
    // then put a new server behind the address. Its open connections stay frozen until the test lets them go.
    await db.sql.query("SELECT 1");
    proxy.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.failOver();
    await enqueueNotices(lead, { incidentId: incident.id, template: "incident-update" });

    const delivered = async () => {
      while (!(await settled(incident.id))) await new Promise((resolve) => setTimeout(resolve, 25));
    };
    const { settledBeforeLetGo, outcome } = await settleBeforeLetGo(delivered(), () => proxy.resume(), THAW_AFTER_MS);
    expect(outcome.status).toBe("fulfilled");
    expect(settledBeforeLetGo).toBe(true);
    expect(sink.received).toHaveLength(3);
  });
});
