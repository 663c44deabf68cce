// Every named duration of the kill-switch capability, at its boundary: the automatic-release window, the worker that
// executes it, the service "silent" threshold, the last-used resolution of service tokens, and the JST time field.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { AUTO_RELEASE_POLL_MS, startAutoReleaseWorker } from "~/killswitch/auto-release.server";
import { loadSwitchBoard, SERVICE_LAGGING_AFTER_MS, SERVICE_SILENT_AFTER_MS } from "~/killswitch/board.server";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { engageSwitch, MAX_AUTO_RELEASE_DELAY_MS, MIN_AUTO_RELEASE_DELAY_MS } from "~/killswitch/engage.server";
import { parseJstDateTimeLocal } from "~/killswitch/release-time";
import { toJstDateTimeLocal } from "~/lib/jst-date-time";
import { approveRelease, requestRelease } from "~/killswitch/release.server";
import { recordServiceAcks } from "~/killswitch/service-api.server";
import {
  authenticateServiceToken,
  createServiceToken,
  LAST_USED_RESOLUTION_MS,
} from "~/killswitch/service-tokens.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { onFile } from "../support/staff";

process.env.FIREBREAK_TEST_CLOCK = "1";
const origin = { ip: null, userAgent: "vitest", requestId: null };

function staff(role: "SECURITY_LEAD" | "ADMIN" = "SECURITY_LEAD"): KillSwitchContext {
  return { actor: { kind: "staff", id: randomUUID(), role }, origin, steppedUpAt: now() };
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  resetClock();
  await releaseLock();
});
afterEach(async () => {
  for (const killSwitch of await prisma.killSwitch.findMany({ where: { engaged: true } })) {
    const request = await requestRelease(await onFile(staff()), { key: killSwitch.key, reason: "test cleanup" });
    await approveRelease(staff(), { requestId: request.id });
  }
});

describe("named durations", () => {
  it("have the values their names say", () => {
    expect(MIN_AUTO_RELEASE_DELAY_MS).toBe(5 * 60 * 1000);
    expect(MAX_AUTO_RELEASE_DELAY_MS).toBe(7 * 24 * 60 * 60 * 1000);
    expect(AUTO_RELEASE_POLL_MS).toBe(5 * 1000);
    expect(SERVICE_SILENT_AFTER_MS).toBe(15 * 60 * 1000);
    expect(SERVICE_LAGGING_AFTER_MS).toBe(30 * 1000);
    expect(LAST_USED_RESOLUTION_MS).toBe(60 * 1000);
  });
});

describe("automatic release window", () => {
  it("accepts exactly 5 minutes to 7 days ahead and refuses just outside", async () => {
    const lead = staff();
    const at = () => now().getTime();
    const SLACK = 5_000; // the call itself takes a moment: stay clearly inside or outside
    await expect(
      engageSwitch(lead, {
        key: "reset.self_service",
        reason: "x",
        releaseAt: new Date(at() + MIN_AUTO_RELEASE_DELAY_MS - SLACK),
      }),
    ).rejects.toMatchObject({ code: "RELEASE_TIME_TOO_SOON" });
    await expect(
      engageSwitch(lead, {
        key: "reset.self_service",
        reason: "x",
        releaseAt: new Date(at() + MAX_AUTO_RELEASE_DELAY_MS + SLACK),
      }),
    ).rejects.toMatchObject({ code: "RELEASE_TIME_TOO_LATE" });
    await expect(
      engageSwitch(lead, { key: "reset.self_service", reason: "x", releaseAt: new Date(Number.NaN) }),
    ).rejects.toMatchObject({ code: "RELEASE_TIME_INVALID" });
    const result = await engageSwitch(lead, {
      key: "reset.self_service",
      reason: "x",
      releaseAt: new Date(at() + MAX_AUTO_RELEASE_DELAY_MS - SLACK),
    });
    expect(result.engaged).toBe(true);
  });

  it("is executed by the background worker once the clock passes it, and not before", async () => {
    const lead = staff();
    const engaged = async (key: string) => (await prisma.killSwitch.findUniqueOrThrow({ where: { key } })).engaged;
    const start = now().getTime();
    await engageSwitch(lead, {
      key: "signin.new_device",
      reason: "night block",
      releaseAt: new Date(start + MIN_AUTO_RELEASE_DELAY_MS + 5 * 60_000),
    });
    // Due four minutes earlier: once the worker has released it, it has looked at the board with the clock between
    // the two times, instead of the test guessing how long a look takes. The real time that passes meanwhile moves
    // the clock on too; three and a half minutes' margin is far more than a loaded machine takes.
    await engageSwitch(lead, {
      key: "reset.self_service",
      reason: "night block",
      releaseAt: new Date(start + MIN_AUTO_RELEASE_DELAY_MS + 60_000),
    });
    const firstWorker = startAutoReleaseWorker({ intervalMs: 100 });
    try {
      advanceClock(MIN_AUTO_RELEASE_DELAY_MS + 90_000);
      await expect.poll(() => engaged("reset.self_service"), { timeout: 20_000 }).toBe(false);
    } finally {
      // Stopping waits for the look that released it to finish: it has then released all it was going to.
      await firstWorker();
    }
    expect(await engaged("signin.new_device")).toBe(true);
    advanceClock(5 * 60_000);
    const secondWorker = startAutoReleaseWorker({ intervalMs: 100 });
    try {
      await expect.poll(() => engaged("signin.new_device"), { timeout: 20_000 }).toBe(false);
    } finally {
      await secondWorker();
    }
  });
});

describe("the JST release-time field", () => {
  it("reads a datetime-local value as Japan time and round-trips", () => {
    expect(parseJstDateTimeLocal("2026-11-29T09:30")?.toISOString()).toBe("2026-11-29T00:30:00.000Z");
    expect(parseJstDateTimeLocal("")).toBeUndefined();
    expect(parseJstDateTimeLocal(undefined)).toBeUndefined();
    expect(Number.isNaN(parseJstDateTimeLocal("tomorrow 9am")!.getTime())).toBe(true);
    expect(toJstDateTimeLocal(new Date("2026-11-29T00:30:00Z"))).toBe("2026-11-29T09:30");
  });
});

describe("service timing", () => {
  it("marks an instance silent after 15 minutes without a report, and writes last-used at most once a minute", async () => {
    const admin = staff("ADMIN");
    const serviceName = `svc-${randomUUID().slice(0, 8)}`;
    const created = await createServiceToken(admin, { serviceName });
    const service = await authenticateServiceToken(`Bearer ${created.token}`);
    expect(service).toMatchObject({ serviceName });
    const firstUse = (await prisma.serviceToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt!;

    advanceClock(LAST_USED_RESOLUTION_MS - 5_000);
    await authenticateServiceToken(`Bearer ${created.token}`);
    expect((await prisma.serviceToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(firstUse);
    advanceClock(10_000);
    await authenticateServiceToken(`Bearer ${created.token}`);
    expect(
      (await prisma.serviceToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt!.getTime(),
    ).toBeGreaterThan(firstUse.getTime());

    const version = (await prisma.killSwitch.findUniqueOrThrow({ where: { key: "topup.bank" } })).version;
    await recordServiceAcks(service!, origin, { instance: "pod-1", applied: [{ key: "topup.bank", version }] });
    const instanceOf = async () =>
      (await loadSwitchBoard()).switches
        .find((s) => s.key === "topup.bank")!
        .services.find((s) => s.serviceName === serviceName)!;
    expect(await instanceOf()).toMatchObject({ upToDate: true, instances: [{ silent: false, current: true }] });
    advanceClock(SERVICE_SILENT_AFTER_MS - 10_000);
    expect((await instanceOf()).instances[0]!.silent).toBe(false);
    advanceClock(20_000);
    expect(await instanceOf()).toMatchObject({ upToDate: false, instances: [{ silent: true }] });
  });

  it("raises a lagging alert for a live instance still on the old version 30 s after a change, not for a silent one", async () => {
    const serviceName = `svc-${randomUUID().slice(0, 8)}`;
    const service = await authenticateServiceToken(
      `Bearer ${(await createServiceToken(staff("ADMIN"), { serviceName })).token}`,
    );
    const oldVersion = (await prisma.killSwitch.findUniqueOrThrow({ where: { key: "topup.bank" } })).version;
    const report = (instance: string, version: number) =>
      recordServiceAcks(service!, origin, { instance, applied: [{ key: "topup.bank", version }] });
    await report("pod-1", oldVersion);
    await report("pod-2", oldVersion);
    advanceClock(SERVICE_SILENT_AFTER_MS - 60_000); // pod-2 falls silent a minute from now, while the switch is engaged
    await report("pod-1", oldVersion);
    const { version } = await engageSwitch(staff(), { key: "topup.bank", reason: "bank top-ups abused" });
    const lagging = async () => (await loadSwitchBoard()).switches.find((s) => s.key === "topup.bank")!.lagging;
    const behind = (instance: string) => ({ serviceName, instance, appliedVersion: oldVersion });

    advanceClock(SERVICE_LAGGING_AFTER_MS - 5_000);
    expect(await lagging()).toEqual([]); // a poll or two late is not yet an alarm
    advanceClock(10_000);
    expect(await lagging()).toEqual([behind("pod-1"), behind("pod-2")]);
    advanceClock(30_000); // pod-2 has been silent for 15 minutes: shown as silent, no longer as lagging
    expect(await lagging()).toEqual([behind("pod-1")]);
    await report("pod-1", version);
    expect(await lagging()).toEqual([]);
  });
});
