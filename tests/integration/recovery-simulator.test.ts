// `npm run simulate:recovery` shows the rules; this runs its story in-process and checks that every step comes out as
// the rules demand, with the switches released and with both recovery-related switches engaged.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { backtestRule, disableRule, draftRule, publishRule } from "~/risk/rules.server";
import { now, resetClock } from "~/lib/clock.server";
import { runRecoveryStory, type StepLine } from "../../scripts/lib/simulate-recovery";
import { asExpected, formatStep } from "../../scripts/lib/simulate-recovery-format";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { createStaffContext } from "../support/ledger-fixtures";

process.env.FIREBREAK_TEST_CLOCK = "1";
let release: () => Promise<void>;
beforeAll(async () => {
  release = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await setSwitches(false);
  await release();
});
afterEach(() => resetClock());

async function setSwitches(engaged: boolean) {
  await prisma.$executeRaw`
    UPDATE kill_switch SET engaged = ${engaged}, version = version + 1
     WHERE key IN ('signin.new_device', 'reset.self_service')`;
}

async function play(): Promise<StepLine[]> {
  const printed: string[] = [];
  const lines = await runRecoveryStory(prisma, (line) => printed.push(formatStep(line, false)));
  expect(printed).toHaveLength(lines.length);
  return lines;
}

describe("simulate:recovery", () => {
  it("every step comes out as the rules demand, and no line carries a token", async () => {
    const lines = await play();
    expect(lines.filter((line) => !asExpected(line))).toEqual([]);
    const outcomes = lines.map((line) => line.actual);
    for (const code of [
      "SESSION_REVOKED",
      "PASSWORD_RESET_REQUIRED",
      "IDENTITY_CHECK_REQUIRED",
      "RESET_LINK_INVALID",
      "RESET_LINK_WRONG_ACCOUNT",
      "RESET_LINK_USED",
      "INVALID_CREDENTIALS",
      "INVALID_CODE",
      "RESET_LINK_EXPIRED",
    ]) {
      expect(outcomes).toContain(code);
    }
    const tokens = await prisma.outboundMessage.findMany({
      where: { template: "password-reset", textBody: { not: null } },
      select: { textBody: true },
    });
    const printed = lines.map((line) => formatStep(line, false)).join("\n");
    // The story issues reset links: each one's token is looked for in what it printed.
    expect(tokens.length).toBeGreaterThan(0);
    for (const { textBody } of tokens) {
      const token = textBody!.match(/token=([A-Za-z0-9_-]{43})/)?.[1];
      expect(token, "a reset mail without its token").toBeDefined();
      expect(printed).not.toContain(token);
    }
  });

  it("with signin.new_device and reset.self_service engaged, the attacker's new device and reset request are refused", async () => {
    await setSwitches(true);
    try {
      const lines = await play();
      expect(lines.filter((line) => !asExpected(line))).toEqual([]);
      expect(lines.map((line) => line.actual)).toEqual(
        expect.arrayContaining(["SIGN_IN_NEW_DEVICE_SUSPENDED", "RESET_SUSPENDED"]),
      );
    } finally {
      await setSwitches(false);
    }
  });

  it("live contact-change and reset-request rules stop the attacker's hijack and reset burst", async () => {
    const lead = (): ActionContext => ({
      actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" },
      origin: { ip: "127.0.0.1", userAgent: "vitest", requestId: null },
    });
    const rules = [
      { eventKind: "CONTACT_CHANGE" as const, condition: 'contact_field == "EMAIL" and device_age_hours < 24' },
      { eventKind: "RESET_REQUEST" as const, condition: "ip_reset_accounts_24h >= 2" },
    ];
    const ids: string[] = [];
    for (const { eventKind, condition } of rules) {
      const author = await createStaffContext(prisma, "SECURITY_LEAD");
      const rule = await draftRule(author, {
        ruleKey: `sim-${randomUUID().slice(0, 8)}`,
        name: "simulated takeover rule",
        condition,
        outcome: "BLOCK",
        channel: "ALL",
        eventKind,
      });
      await backtestRule(author, rule.id);
      await publishRule(lead(), rule.id);
      ids.push(rule.id);
    }
    try {
      const lines = await play();
      expect(lines.filter((line) => !asExpected(line))).toEqual([]);
      expect(lines.map((line) => line.actual)).toContain("CONTACT_CHANGE_DECLINED");
      const stopped = await prisma.riskDecision.count({
        where: { eventKind: "RESET_REQUEST", outcome: "BLOCK", ruleId: ids[1] },
      });
      expect(stopped).toBeGreaterThan(0);
    } finally {
      for (const id of ids) await disableRule({ ...lead(), steppedUpAt: now() }, id, "test over");
    }
  });
});
