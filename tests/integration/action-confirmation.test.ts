// Codes bound to the action: a fresh authenticator code typed on a confirmation form authorises that one action and
// dry run, once, for two minutes — never another action, another dry run, another member, or a forged confirmation.
import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  assertConfirmedFor,
  confirmActionWithCode,
  CONFIRMATION_LIFETIME_MS,
  needsConfirmationCode,
  type ActionConfirmation,
} from "~/auth/action-confirmation.server";
import type { StaffContext } from "~/auth/guard.server";
import { prisma } from "~/db.server";
import { advanceClock } from "~/lib/clock.server";
import { createSignedInStaff, nextTotpCode, type TestStaff } from "../support/staff";

process.env.FIREBREAK_TEST_CLOCK = "1";

const BULK = "ledger.bulk-reverse.start";
let lead: TestStaff;
let ctx: StaffContext;

beforeAll(async () => {
  // Signed in but not stepped up: a code bound to the action stands on its own.
  ({ member: lead, ctx } = await createSignedInStaff({ role: "SECURITY_LEAD", steppedUp: false }));
});

// Each test types fresh codes: move to the next TOTP step (the fixture's authenticator never repeats a step, and the
// server accepts each step once).
beforeEach(() => advanceClock(30_000));

describe("a code bound to one action and one dry run", () => {
  it("confirms exactly what it was typed for", async () => {
    const confirmation = await confirmActionWithCode(ctx, nextTotpCode(lead), { action: BULK, digest: "d-1" });
    expect(() => assertConfirmedFor(confirmation, { action: BULK, digest: "d-1", staffId: lead.id })).not.toThrow();
    // Another dry run (the scope changed), another action, another member: refused.
    expect(() => assertConfirmedFor(confirmation, { action: BULK, digest: "d-2", staffId: lead.id })).toThrow(
      /fresh authenticator code/,
    );
    expect(() =>
      assertConfirmedFor(confirmation, { action: "recovery.cohort-reset.start", digest: "d-1", staffId: lead.id }),
    ).toThrow(/fresh authenticator code/);
    expect(() => assertConfirmedFor(confirmation, { action: BULK, digest: "d-1", staffId: randomUUID() })).toThrow();
  });

  it("is audited with what it confirmed, never the code", async () => {
    const code = nextTotpCode(lead);
    await confirmActionWithCode(ctx, code, { action: BULK, digest: "audited-digest" });
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.action-confirmation", actorId: lead.id, outcome: "SUCCESS" },
      orderBy: { seq: "desc" },
    });
    expect(row.after).toMatchObject({ confirms: BULK, digest: "audited-digest", method: "totp" });
    expect(
      JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain(code);
  });

  it("a code is accepted once: typed again for another action it is refused", async () => {
    const code = nextTotpCode(lead);
    await confirmActionWithCode(ctx, code, { action: BULK, digest: "once" });
    await expect(
      confirmActionWithCode(ctx, code, { action: "recovery.cohort-reset.start", digest: "once" }),
    ).rejects.toMatchObject({ code: "CONFIRMATION_CODE_INVALID" });
  });

  it("a wrong or malformed code is refused, and counted against this session only", async () => {
    await expect(confirmActionWithCode(ctx, "000000", { action: BULK, digest: "x" })).rejects.toMatchObject({
      code: "CONFIRMATION_CODE_INVALID",
    });
    await expect(confirmActionWithCode(ctx, "12ab", { action: BULK, digest: "x" })).rejects.toMatchObject({
      code: "CONFIRMATION_CODE_INVALID",
    });
    const failure = await prisma.staffTotpFailure.findFirst({
      where: { staffId: lead.id },
      orderBy: { occurredAt: "desc" },
    });
    expect(failure?.scope).toBe(`session:${ctx.session.id}`);
  });

  it("expires: a confirmation older than its lifetime is not accepted", async () => {
    const confirmation = await confirmActionWithCode(ctx, nextTotpCode(lead), { action: BULK, digest: "late" });
    advanceClock(CONFIRMATION_LIFETIME_MS + 1_000);
    expect(() => assertConfirmedFor(confirmation, { action: BULK, digest: "late", staffId: lead.id })).toThrow();
  });

  it("a confirmation not issued by the code check is not accepted (no forging one by hand)", () => {
    const forged = { action: BULK, digest: "d", staffId: lead.id, confirmedAt: new Date() } as ActionConfirmation;
    expect(() => assertConfirmedFor(forged, { action: BULK, digest: "d", staffId: lead.id })).toThrow();
    expect(() => assertConfirmedFor(null, { action: BULK, digest: "d", staffId: lead.id })).toThrow();
  });
});

describe("which bulk actions need one", () => {
  it("at or above ¥1,000,000 or 100 accounts by default", () => {
    expect(needsConfirmationCode({ yen: 999_999, accounts: 99 })).toBe(false);
    expect(needsConfirmationCode({ yen: 1_000_000, accounts: 1 })).toBe(true);
    expect(needsConfirmationCode({ yen: 0, accounts: 100 })).toBe(true);
  });

  it("the bounds are configurable", () => {
    process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS = "10";
    try {
      expect(needsConfirmationCode({ yen: 0, accounts: 10 })).toBe(true);
    } finally {
      delete process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS;
    }
  });
});
