// The automatic switch release, the audit checkpoint worker and the detectors when their database freezes in the middle
// of their work, across a partition (docs/decisions/085-reliability-round-four.md): the connections open at that moment
// stop answering for good and the server never hears that the client gave up on them, so that session keeps its
// transaction — the switch's row lock, the checkpoints' advisory lock, the detectors' cursor row — while a new server
// answers behind the same address. Each worker gives up on the frozen connection within its bounds and finishes the
// work through the new one, once, before the frozen connections are let go. (ops-frozen-jobs.test.ts: the job runner.)
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { readCheckpointLog } from "~/audit/checkpoint-log.server";
import { startAuditCheckpointWorker } from "~/audit/checkpoint-worker.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { DETECTORS } from "~/detect/definitions";
import { CURSOR_NAME } from "~/detect/live-evaluation.server";
import { startDetectWorker } from "~/detect/live-worker.server";
import { startAutoReleaseWorker } from "~/killswitch/auto-release.server";
import { engageSwitch, MIN_AUTO_RELEASE_DELAY_MS } from "~/killswitch/engage.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { codeOf } from "../support/domain-code";
import { createStaffContext } from "../support/ledger-fixtures";
import { doneBeforeLetGo, frozenOrFail, openProcessDatabaseThroughProxy } from "../support/frozen-worker";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const through = await vi.hoisted(async () => {
  process.env.FIREBREAK_TEST_CLOCK = "1";
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") return null;
  const { openProcessDatabaseThroughProxy: open } = await import("../support/frozen-worker");
  return open();
});
void openProcessDatabaseThroughProxy; // opened above, before ~/db.server was imported

afterEach(() => {
  through?.proxy.resume();
});
afterAll(async () => {
  resetClock();
  await through?.proxy.close();
});

const MINUTE = 60_000;

describe.skipIf(!onPostgres)("automatic switch release when its database freezes mid-release (PostgreSQL)", () => {
  it("across a partition: releases the switch through the new server before the frozen one answers, once, and card top-ups go through again", async () => {
    const { proxy, directUrl } = through!;
    const lead = { ...(await createStaffContext(prisma, "SECURITY_LEAD")), steppedUpAt: now() };
    const { customer, card } = await createTestCustomer(prisma);
    const key = "topup.credit_card";
    await engageSwitch(lead, {
      key,
      reason: "card top-ups abused overnight",
      releaseAt: new Date(now().getTime() + MIN_AUTO_RELEASE_DELAY_MS + 60_000),
    });
    advanceClock(MIN_AUTO_RELEASE_DELAY_MS + 2 * 60_000);
    // The release's own history row: sent after the switch's row was locked in the same transaction. While that lock
    // is held, every card top-up (which reads the switch FOR SHARE) is refused as switch state unavailable.
    const frozen = proxy.freezeWhenSent("AUTO_RELEASE", { partition: true });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const stop = startAutoReleaseWorker({ intervalMs: 100 });
    try {
      await frozenOrFail(frozen, "the release's history row");
      const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
        const { rows } = await client.query<{ engaged: boolean }>("SELECT engaged FROM kill_switch WHERE key = $1", [
          key,
        ]);
        if (rows[0]?.engaged !== false) return false;
        return (
          (await codeOf(topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1000 }))) === "ACCEPTED"
        );
      });
      expect(before).toBe(true);
    } finally {
      await stop();
      warn.mockRestore();
    }
    const changes = await prisma.killSwitchChange.findMany({ where: { switchKey: key, kind: "AUTO_RELEASE" } });
    expect(changes).toHaveLength(1);
    const released = await prisma.auditEvent.count({
      where: { action: "killswitch.auto-release", targetId: key, outcome: "SUCCESS" },
    });
    expect(released).toBe(1);
  });
});

describe.skipIf(!onPostgres)("the audit checkpoint worker when its database freezes mid-signature (PostgreSQL)", () => {
  it("across a partition: signs the head through the new server before the frozen one answers, once", async () => {
    const { proxy, directUrl } = through!;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "firebreak-frozen-cp-")), "checkpoints.jsonl");
    process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG = file;
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent({
        actor: { kind: "system", id: "system:test" },
        origin: { ip: null, userAgent: null, requestId: null },
        action: "test.frozen-checkpoint",
        outcome: "SUCCESS",
        targetId: randomUUID(),
      });
    }
    const { rows } = await prismaHead();
    const head = rows[0]!.seq;
    // The checkpoint row: sent while the transaction holds the checkpoints' advisory lock.
    const frozen = proxy.freezeWhenSent("INSERT INTO audit_checkpoint", { partition: true });
    const log = { info: () => undefined, error: vi.fn() };
    const stop = startAuditCheckpointWorker({ initialDelayMs: 0, intervalMs: 200, headNoteIntervalMs: 60_000, log });
    try {
      await frozenOrFail(frozen, "the checkpoint row");
      const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
        const { rows: signed } = await client.query("SELECT 1 FROM audit_checkpoint WHERE seq = $1::bigint", [head]);
        return signed.length > 0;
      });
      expect(before).toBe(true);
    } finally {
      await stop();
      delete process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG;
    }
    expect(log.error).not.toHaveBeenCalled();
    expect(await prisma.auditCheckpoint.count({ where: { seq: BigInt(head) } })).toBe(1);
    expect((await readCheckpointLog(file)).filter((cp) => cp.seq === head)).toHaveLength(1);
  });
});

function prismaHead() {
  return prisma.$queryRaw<{ seq: string }[]>`SELECT max(seq)::text AS seq FROM audit_event`.then((rows) => ({ rows }));
}

describe.skipIf(!onPostgres)("the detectors when their database freezes mid-minute (PostgreSQL)", () => {
  it("across a partition: evaluate the minutes through the new server before the frozen one answers, each once", async () => {
    const { proxy, directUrl } = through!;
    const behind = Math.floor(now().getTime() / MINUTE) * MINUTE - 5 * MINUTE;
    await prisma.detectorCursor.upsert({
      where: { name: CURSOR_NAME },
      create: { name: CURSOR_NAME, minute: new Date(behind), updatedAt: new Date(behind) },
      update: { minute: new Date(behind) },
    });
    // The first minute's values: sent while its transaction holds the cursor's row lock.
    const frozen = proxy.freezeWhenSent("detector_minute", { partition: true });
    const log = { error: vi.fn(), warn: vi.fn() };
    const stop = startDetectWorker({ pollMs: 100, log });
    try {
      await frozenOrFail(frozen, "the first minute's values");
      const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
        const { rows } = await client.query<{ minute: Date }>("SELECT minute FROM detector_cursor WHERE name = $1", [
          CURSOR_NAME,
        ]);
        return (rows[0]?.minute.getTime() ?? 0) >= behind + 3 * MINUTE;
      });
      expect(before).toBe(true);
    } finally {
      await stop();
    }
    expect(log.error).not.toHaveBeenCalled();
    const perMinute = await prisma.detectorMinute.groupBy({
      by: ["minute"],
      where: { minute: { gt: new Date(behind) } },
      _count: true,
    });
    expect(perMinute.length).toBeGreaterThanOrEqual(3);
    // Each detector's row, and the failed-sign-in detector's attempts beside its failures (ADR 102), once a minute.
    for (const minute of perMinute) expect(minute._count).toBe(DETECTORS.length + 1);
  });
});
