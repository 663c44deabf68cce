// The live detector worker against a real database: every minute evaluated exactly once across restarts and with two
// workers, the same values as the replay engine, alerts raised and audited by the system actor.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { attemptsSeriesKey, failedSignInRate, DETECTORS } from "~/detect/definitions";
import { DetectEngine, InMemorySeriesStore } from "~/detect/engine";
import type { DetectEvent } from "~/detect/events";
import { CURSOR_NAME, evaluateNextMinute } from "~/detect/live-evaluation.server";
import { DAY_MS } from "~/detect/seasonal-baseline";
import { createTestCustomer } from "../support/customers";

const MINUTE = 60_000;
// Far from the replay's 2019 and from today, so nothing else in the database falls in these minutes.
const T0 = Date.UTC(2030, 0, 7, 3, 0); // Monday 12:00 JST

async function setCursor(minute: number) {
  await prisma.detectAlert.deleteMany({});
  await prisma.detectorMinute.deleteMany({});
  await prisma.detectorCursor.upsert({
    where: { name: CURSOR_NAME },
    create: { name: CURSOR_NAME, minute: new Date(minute), updatedAt: new Date(minute) },
    update: { minute: new Date(minute) },
  });
}

async function failedSignIns(customerIds: string[], at: number, ip = "203.0.113.7") {
  await prisma.loginEvent.createMany({
    data: customerIds.map((customerId, k) => ({
      customerId,
      ip,
      country: "JP",
      success: false,
      newDevice: false,
      occurredAt: new Date(at + k * 100),
    })),
  });
}

async function evaluateUntilIdle(now: number, definitions = DETECTORS): Promise<number[]> {
  const minutes: number[] = [];
  for (;;) {
    const outcome = await evaluateNextMinute(new Date(now), definitions);
    if (!outcome) return minutes;
    minutes.push(outcome.minute);
  }
}

describe("live detector worker", () => {
  let customers: string[];
  beforeEach(async () => {
    customers = [];
    for (let k = 0; k < 3; k++) customers.push((await createTestCustomer(prisma)).customer.id);
  });

  it("evaluates each closed minute once, across a restart, with the replay engine's values", async () => {
    const base = T0 + randomOffset();
    await setCursor(base - MINUTE);
    await failedSignIns(customers, base + 30_000);
    await failedSignIns(customers.slice(0, 2), base + 4 * MINUTE + 10_000);

    // First run: minutes base … base+5 have closed (plus the grace) by base+6m+10s.
    const first = await evaluateUntilIdle(base + 6 * MINUTE + 10_000);
    expect(first).toEqual([0, 1, 2, 3, 4, 5].map((k) => base + k * MINUTE));
    // Nothing more until the next minute closes; a "restarted" worker (the function keeps no state) resumes there.
    expect(await evaluateNextMinute(new Date(base + 6 * MINUTE + 10_000))).toBeNull();
    await failedSignIns(customers.slice(0, 1), base + 7 * MINUTE + 5_000);
    const second = await evaluateUntilIdle(base + 9 * MINUTE + 10_000);
    expect(second).toEqual([6, 7, 8].map((k) => base + k * MINUTE));

    const rows = await prisma.detectorMinute.findMany({
      where: { detector: failedSignInRate.key },
      orderBy: { minute: "asc" },
    });
    expect(rows.map((r) => r.minute.getTime())).toEqual([...first, ...second]);

    // The same events through the in-memory engine (the replay's path) give the same series.
    const engine = new DetectEngine(new InMemorySeriesStore(), [failedSignInRate]);
    const events: DetectEvent[] = [
      ...customers.map((c, k) => signInEvent(c, base + 30_000 + k * 100)),
      ...customers.slice(0, 2).map((c, k) => signInEvent(c, base + 4 * MINUTE + 10_000 + k * 100)),
      signInEvent(customers[0]!, base + 7 * MINUTE + 5_000),
    ];
    for (const e of events) engine.ingest(e);
    const expected = [...first, ...second].map((m) => engine.closeMinute(m).evaluations[0]!.value);
    expect(rows.map((r) => r.value)).toEqual(expected);
    expect(expected).toEqual([3, 3, 3, 3, 5, 5, 5, 6, 6]);
  });

  it("two workers evaluating at once never evaluate a minute twice nor skip one", async () => {
    const base = T0 + randomOffset();
    await setCursor(base - MINUTE);
    await failedSignIns(customers, base + 10_000);
    const now = base + 20 * MINUTE + 10_000;
    const [a, b] = await Promise.all([evaluateUntilIdle(now), evaluateUntilIdle(now)]);
    // A worker that finds the cursor locked stops for this tick; between them, every minute exactly once.
    const all = [...a, ...b].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 20 }, (_, k) => base + k * MINUTE));
    expect(await prisma.detectorMinute.count({ where: { detector: { in: DETECTORS.map((d) => d.key) } } })).toBe(
      20 * DETECTORS.length,
    );
    // The failed-sign-in detector's attempts beside its failures, once a minute too.
    expect(await prisma.detectorMinute.count({ where: { detector: attemptsSeriesKey(failedSignInRate.key) } })).toBe(
      20,
    );
  });

  it("raises an alert once its baseline exists, names the accounts behind it, and audits it as the system", async () => {
    const base = T0 + randomOffset();
    await setCursor(base - MINUTE);
    // Two weeks of quiet history around these minutes: the detector is past its warm-up.
    const history = [];
    for (let d = 1; d <= 14; d++) {
      for (let m = -40; m < 50; m++) {
        history.push({ detector: failedSignInRate.key, minute: new Date(base - d * DAY_MS + m * MINUTE), value: 0 });
      }
    }
    await prisma.detectorMinute.createMany({ data: history });
    const victims = [...customers];
    for (let k = 0; k < 5; k++) victims.push((await createTestCustomer(prisma)).customer.id);
    await failedSignIns(victims, base + 20_000, "198.51.100.23");

    const [minute] = await evaluateUntilIdle(base + MINUTE + 10_000, [failedSignInRate]);
    expect(minute).toBe(base);
    const alerts = await prisma.detectAlert.findMany({});
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ detector: failedSignInRate.key, version: 2, value: 8, endedAt: null });
    const evidence = alerts[0]!.evidence as { accounts: string[]; ips: string[] };
    expect([...evidence.accounts].sort()).toEqual([...victims].sort());
    expect(evidence.ips).toEqual(["198.51.100.23"]);
    const audit = await prisma.auditEvent.findMany({
      where: { action: "detect.alert.raise", targetId: alerts[0]!.id },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: "system:detect", actorRole: "SYSTEM", outcome: "SUCCESS" });

    // Still above the next minute: the same alert, not a second one.
    await evaluateUntilIdle(base + 2 * MINUTE + 10_000, [failedSignInRate]);
    expect(await prisma.detectAlert.count()).toBe(1);
  });
});

let offsets = 0;
/** Each test works in its own day, so rows of one test never fall in another's windows. */
function randomOffset(): number {
  offsets += 1;
  return offsets * 30 * DAY_MS;
}

function signInEvent(customerId: string, at: number): DetectEvent {
  return {
    kind: "signin",
    at,
    customerId,
    fingerprint: null,
    ip: "203.0.113.7",
    country: "JP",
    success: false,
    newDevice: false,
  };
}
