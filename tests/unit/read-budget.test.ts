// The per-member budget of customer-data reads: a tenth of the hourly budget in any minute, the hourly budget in any
// hour, refused reads not counted, members counted apart, and 0 meaning no limit.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { budgetOf, takeCustomerRead } from "~/auth/read-budget.server";
import { parseEnv, staffReadsPerHour } from "~/env.server";

const start = new Date("2026-12-11T01:00:00Z");
const after = (ms: number) => new Date(start.getTime() + ms);

describe("takeCustomerRead", () => {
  it("allows a tenth of the hourly budget in a minute, then refuses until the oldest read is a minute old", () => {
    const staff = randomUUID();
    const budget = budgetOf(100);
    for (let i = 0; i < 10; i++) expect(takeCustomerRead(staff, budget, after(i * 1000)).ok).toBe(true);
    const refused = takeCustomerRead(staff, budget, after(10_000));
    expect(refused).toEqual({ ok: false, retryAt: after(60_000) });
    // Another member is counted apart.
    expect(takeCustomerRead(randomUUID(), budget, after(10_000)).ok).toBe(true);
    expect(takeCustomerRead(staff, budget, after(59_999)).ok).toBe(false);
    expect(takeCustomerRead(staff, budget, after(60_001)).ok).toBe(true);
  });

  it("refuses past the hourly budget, however the reads are spread", () => {
    const staff = randomUUID();
    const budget = budgetOf(30);
    // Three a minute for ten minutes: never over the minute's three, thirty in all.
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 3; i++) expect(takeCustomerRead(staff, budget, after(minute * 60_000 + i)).ok).toBe(true);
    }
    const refused = takeCustomerRead(staff, budget, after(20 * 60_000));
    expect(refused).toEqual({ ok: false, retryAt: after(60 * 60_000) });
    expect(takeCustomerRead(staff, budget, after(60 * 60_000 + 1)).ok).toBe(true);
  });

  it("0 means no limit", () => {
    const staff = randomUUID();
    for (let i = 0; i < 1000; i++) expect(takeCustomerRead(staff, budgetOf(0), start).ok).toBe(true);
  });
});

describe("the configured read budget", () => {
  const production = {
    NODE_ENV: "production",
    FIREBREAK_TOTP_KEY: Buffer.alloc(32, 7).toString("base64"),
    FIREBREAK_COOKIE_SECRET: "c".repeat(32),
    PUBLIC_BASE_URL: "https://firebreak.example.co.jp",
  };

  it("is on in production unless set: the figure the README's production layout recommends", () => {
    expect(staffReadsPerHour(parseEnv(production))).toBe(600);
    expect(budgetOf(staffReadsPerHour(parseEnv(production)))).toEqual({ perHour: 600, perMinute: 60 });
  });

  it("is off in development and tests unless set, and an explicit setting wins everywhere", () => {
    expect(staffReadsPerHour(parseEnv({ NODE_ENV: "development" }))).toBe(0);
    expect(staffReadsPerHour(parseEnv({ NODE_ENV: "test" }))).toBe(0);
    expect(staffReadsPerHour(parseEnv({ NODE_ENV: "test", FIREBREAK_STAFF_READS_PER_HOUR: "120" }))).toBe(120);
    expect(staffReadsPerHour(parseEnv({ ...production, FIREBREAK_STAFF_READS_PER_HOUR: "0" }))).toBe(0);
    expect(staffReadsPerHour(parseEnv({ ...production, FIREBREAK_STAFF_READS_PER_HOUR: "1200" }))).toBe(1200);
  });
});
