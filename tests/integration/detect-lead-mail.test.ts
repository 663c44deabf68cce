// Mail to the security leads on duty: a duty change is audited through the spine; an alert queues one mail per lead on
// duty (every active lead when nobody is), in each lead's console language, with a link to the alert, and exactly one
// per lead and alert however many detector workers evaluate and however often the outbox workers restart; a
// containment firing is announced the same way.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { failedSignInRate } from "~/detect/definitions";
import { dutyRoster, setOwnDuty } from "~/detect/duty.server";
import { ALERT_MAIL_TEMPLATE, CONTAINMENT_MAIL_TEMPLATE, mailLeadsAboutAlert } from "~/detect/lead-mail.server";
import { CURSOR_NAME, evaluateNextMinute } from "~/detect/live-evaluation.server";
import { approvePolicy, fireContainmentPolicies, proposePolicy } from "~/detect/policies.server";
import { DAY_MS } from "~/detect/seasonal-baseline";
import { DEDUPE_HEADER, dedupeHeaderOf } from "~/notify/dedupe";
import { createTestCustomer } from "../support/customers";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { startTestWorker } from "../support/notify-fixtures";
import { SmtpSink, waitFor } from "../support/smtp-sink";
import { createStaff } from "../support/staff";

const MINUTE = 60_000;
const T0 = Date.UTC(2031, 2, 3, 3, 0); // a Monday, far from every other test's minutes
const ORIGIN = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-lead-mail" };

function ctxOf(staff: { id: string; role: "AGENT" | "SECURITY_LEAD" | "COMPLIANCE" | "ADMIN" }) {
  return { actor: { kind: "staff" as const, id: staff.id, role: staff.role }, origin: ORIGIN };
}

let day = 0;
/** A quiet two-week history and a burst of failed sign-ins in a day of its own: the next evaluation raises an alert. */
async function prepareAlertingMinute(): Promise<number> {
  day += 1;
  const base = T0 + day * 30 * DAY_MS;
  await prisma.detectorCursor.upsert({
    where: { name: CURSOR_NAME },
    create: { name: CURSOR_NAME, minute: new Date(base - MINUTE), updatedAt: new Date(base) },
    update: { minute: new Date(base - MINUTE) },
  });
  const history = [];
  for (let d = 1; d <= 14; d++) {
    for (let m = -40; m < 50; m++) {
      history.push({ detector: failedSignInRate.key, minute: new Date(base - d * DAY_MS + m * MINUTE), value: 0 });
    }
  }
  await prisma.detectorMinute.createMany({ data: history });
  const victims = [];
  for (let k = 0; k < 8; k++) victims.push((await createTestCustomer(prisma)).customer.id);
  await prisma.loginEvent.createMany({
    data: victims.map((customerId, k) => ({
      customerId,
      ip: "198.51.100.77",
      country: "JP",
      success: false,
      newDevice: false,
      occurredAt: new Date(base + 20_000 + k * 100),
    })),
  });
  return base;
}

async function evaluateUntilIdle(now: number): Promise<void> {
  while (await evaluateNextMinute(new Date(now), [failedSignInRate])) {
    // each call evaluates one minute
  }
}

async function leadMails(template = ALERT_MAIL_TEMPLATE) {
  return prisma.outboundMessage.findMany({ where: { template }, orderBy: { createdAt: "asc" } });
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

beforeEach(async () => {
  // Each test decides who the leads are: earlier tests' leads stop being active, nobody is on duty.
  await prisma.staffDuty.deleteMany({});
  await prisma.staffUser.updateMany({ where: { role: "SECURITY_LEAD" }, data: { disabledAt: new Date() } });
  await prisma.detectAlert.deleteMany({});
  await prisma.outboundMessage.deleteMany({ where: { staffId: { not: null } } });
});

describe("security leads on duty", () => {
  it("a lead's duty change goes through the spine: audited, only their own, refused to an agent", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const agent = await createStaff({ role: "AGENT" });

    await setOwnDuty(ctxOf(lead), true);
    expect((await dutyRoster()).onDuty.map((d) => d.id)).toEqual([lead.id]);
    await expect(setOwnDuty(ctxOf(lead), true)).rejects.toMatchObject({ code: "DUTY_UNCHANGED" });
    await expect(setOwnDuty(ctxOf(agent), true)).rejects.toThrow();
    await setOwnDuty(ctxOf(lead), false);
    expect((await dutyRoster()).onDuty).toEqual([]);

    const audit = await prisma.auditEvent.findMany({
      where: { action: { in: ["staff.duty.on", "staff.duty.off"] } },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorId, a.targetId, a.outcome])).toEqual([
      ["staff.duty.on", lead.id, lead.id, "SUCCESS"],
      ["staff.duty.on", lead.id, lead.id, "FAILED"],
      ["staff.duty.on", agent.id, agent.id, "DENIED"],
      ["staff.duty.off", lead.id, lead.id, "SUCCESS"],
    ]);
    expect(await prisma.staffDuty.count({ where: { staffId: agent.id } })).toBe(0);
  });

  it("two clicks at once put a lead on duty once; the other is told they already are, not a server error", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const results = await Promise.allSettled([setOwnDuty(ctxOf(lead), true), setOwnDuty(ctxOf(lead), true)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: "DUTY_UNCHANGED" });
    expect(await prisma.staffDuty.count({ where: { staffId: lead.id } })).toBe(1);
    await setOwnDuty(ctxOf(lead), false);
  });

  it("mails only the leads on duty, in each one's language, with a link to the alert", async () => {
    const japanese = await createStaff({ role: "SECURITY_LEAD", language: "ja" });
    const english = await createStaff({ role: "SECURITY_LEAD", language: "en" });
    const offDuty = await createStaff({ role: "SECURITY_LEAD", language: "en" });
    await createStaff({ role: "AGENT" });
    await setOwnDuty(ctxOf(japanese), true);
    await setOwnDuty(ctxOf(english), true);

    const base = await prepareAlertingMinute();
    await evaluateUntilIdle(base + MINUTE + 10_000);
    const alert = await prisma.detectAlert.findFirstOrThrow({});
    const mails = await leadMails();
    expect(mails.map((m) => m.staffId).sort()).toEqual([japanese.id, english.id].sort());
    expect(mails.some((m) => m.staffId === offDuty.id)).toBe(false);
    const ja = mails.find((m) => m.staffId === japanese.id)!;
    const en = mails.find((m) => m.staffId === english.id)!;
    expect(ja).toMatchObject({ language: "ja", recipient: japanese.email, status: "QUEUED", customerId: null });
    expect(ja.subject).toBe("【Firebreak】アラート:ログイン失敗(重大度 中)");
    expect(ja.textBody).toContain("当番になっているため");
    expect(en.subject).toBe("[Firebreak] Alert: Failed sign-ins (Medium)");
    expect(en.textBody).toContain("because you are on duty");
    for (const mail of [ja, en]) {
      expect(mail.textBody).toContain(`http://localhost:3000/alerts/${alert.id}`);
      expect(mail.htmlBody).toContain(`href="http://localhost:3000/alerts/${alert.id}"`);
    }
    // The raise's audit row names who was mailed, never a body or a link.
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "detect.alert.raise", targetId: alert.id },
    });
    const after = audit.after as { everyoneBecauseNobodyOnDuty: boolean; mailed: { staffId: string }[] };
    expect(after.everyoneBecauseNobodyOnDuty).toBe(false);
    expect(after.mailed.map((m) => m.staffId).sort()).toEqual([japanese.id, english.id].sort());
    expect(JSON.stringify(audit.after)).not.toContain("/alerts/");
  });

  it("with nobody on duty mails every active security lead, and says so", async () => {
    const a = await createStaff({ role: "SECURITY_LEAD" });
    const b = await createStaff({ role: "SECURITY_LEAD", language: "ja" });
    const gone = await createStaff({ role: "SECURITY_LEAD" });
    await prisma.staffUser.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    await createStaff({ role: "COMPLIANCE" });

    const roster = await dutyRoster();
    expect(roster.onDuty).toEqual([]);
    expect(roster.leads.map((l) => l.id).sort()).toEqual([a.id, b.id].sort());

    const base = await prepareAlertingMinute();
    await evaluateUntilIdle(base + MINUTE + 10_000);
    const mails = await leadMails();
    expect(mails.map((m) => m.staffId).sort()).toEqual([a.id, b.id].sort());
    expect(mails.find((m) => m.staffId === a.id)!.textBody).toContain("no security lead is on duty");
    expect(mails.find((m) => m.staffId === b.id)!.textBody).toContain("当番のセキュリティ責任者がいないため");
  });

  it("exactly one mail per lead and alert across two detector workers, a retry and restarted outbox workers", async () => {
    const leads = [
      await createStaff({ role: "SECURITY_LEAD", language: "ja" }),
      await createStaff({ role: "SECURITY_LEAD", language: "en" }),
    ];
    for (const lead of leads) await setOwnDuty(ctxOf(lead), true);
    const base = await prepareAlertingMinute();

    // Two detector workers at once: one evaluates the minute, one alert, one queued mail per lead.
    const now = base + 3 * MINUTE + 10_000;
    await Promise.all([evaluateUntilIdle(now), evaluateUntilIdle(now)]);
    const alerts = await prisma.detectAlert.findMany({});
    expect(alerts).toHaveLength(1);
    expect(await leadMails()).toHaveLength(2);

    // A retried announcement (a worker that lost its result and tries again) finds the keys taken.
    const again = await mailLeadsAboutAlert(prisma, {
      alertId: alerts[0]!.id,
      detector: alerts[0]!.detector,
      severity: alerts[0]!.peakSeverity,
      value: alerts[0]!.value,
      minute: alerts[0]!.minute,
      evidence: { accounts: [], devices: [], ips: [], stores: [] },
    });
    expect(again.messages.map((m) => m.queued)).toEqual([false, false]);
    expect(await leadMails()).toHaveLength(2);

    // Delivery: a worker starts and is stopped (a restart), then two workers run side by side.
    const sink = await SmtpSink.start();
    try {
      const first = startTestWorker(sink, { concurrency: 1 });
      await waitFor(
        "a first delivery",
        async () => (await prisma.outboundMessage.count({ where: { status: "SENT" } })) >= 1,
      );
      await first.stop();
      const [second, third] = [startTestWorker(sink), startTestWorker(sink)];
      await waitFor("every lead mail sent", async () => (await leadMails()).every((m) => m.status === "SENT"));
      await Promise.all([second.stop(), third.stop()]);
      const mails = await leadMails();
      for (const mail of mails) expect(sink.countByKey(dedupeHeaderOf(mail.dedupeKey))).toBe(1);
      const received = sink.received.filter((r) =>
        mails.some((m) => r.parsed.headers.get(DEDUPE_HEADER.toLowerCase()) === dedupeHeaderOf(m.dedupeKey)),
      );
      expect(received.map((r) => r.envelopeTo[0]).sort()).toEqual(leads.map((l) => l.email).sort());
      const subjects = received.map((r) => r.parsed.subject).sort();
      expect(subjects).toEqual(
        ["[Firebreak] Alert: Failed sign-ins (Medium)", "【Firebreak】アラート:ログイン失敗(重大度 中)"].sort(),
      );
    } finally {
      await sink.stop();
    }
  });

  it("a containment firing is announced to the leads once per policy and alert", async () => {
    const first = await createStaff({ role: "SECURITY_LEAD", language: "en" });
    const second = await createStaff({ role: "SECURITY_LEAD", language: "ja" });
    await setOwnDuty(ctxOf(second), true);
    const { id } = await proposePolicy(ctxOf(first), {
      detector: "accounts-per-device",
      minSeverity: "LOW",
      switchKey: "topup.bank",
    });
    await approvePolicy(ctxOf(second), id);
    const at = new Date();
    const alert = await prisma.detectAlert.create({
      data: {
        detector: "accounts-per-device",
        version: 1,
        minute: at,
        raisedAt: at,
        severity: "HIGH",
        peakSeverity: "HIGH",
        value: 9,
        baseline: {},
        evidence: { accounts: [], devices: [], ips: [], stores: [] },
        lastAboveAt: at,
      },
    });
    const [fired] = await Promise.all([fireContainmentPolicies(), fireContainmentPolicies()]).then((r) => r.flat());
    expect(fired).toMatchObject({ policyId: id, alertId: alert.id });
    const mails = await leadMails(CONTAINMENT_MAIL_TEMPLATE);
    expect(mails.map((m) => m.staffId)).toEqual([second.id]);
    expect(mails[0]!.subject).toBe("【Firebreak】封じ込め:topup.bank");
    expect(mails[0]!.textBody).toContain(`/alerts/${alert.id}`);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "detect.policy.fire", targetId: id } });
    expect((audit.after as { mailed: { staffId: string }[] }).mailed.map((m) => m.staffId)).toEqual([second.id]);
  });
});
