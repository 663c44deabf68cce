// The features of the two account events, contact change and reset request: each kind computes exactly its own
// features, windows count only what came strictly before the event (never after it), an address's flood of requests
// is capped the same way for both sources, and a snapshot that over-fetches the future changes nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeFeatures,
  featuresOfKind,
  MAX_COUNTED_RESETS,
  MINUTE_MS,
  NEVER_MINUTES,
  ONE_DAY_MS,
  ONE_HOUR_MS,
  type FeatureSnapshot,
  type RiskEvent,
} from "~/risk/features";

const T = Date.UTC(2026, 11, 5, 3, 0, 0);
const at = (offsetMs: number) => new Date(T + offsetMs);

function snapshot(parts: Partial<FeatureSnapshot> = {}): FeatureSnapshot {
  return {
    customerCreatedAt: at(-400 * ONE_DAY_MS),
    twoFactorEnrolled: false,
    lastSignIn: {
      at: at(-5 * MINUTE_MS),
      ip: "198.51.100.1",
      country: "CN",
      fingerprint: "fp-new",
      deviceFirstSeenAt: at(-6 * MINUTE_MS),
    },
    fingerprintSignIns: [],
    ipSignIns: [],
    contactChangesAt: [],
    resetRequestsAt: [],
    ipResetRequests: [],
    topUps: [],
    purchases: [],
    ...parts,
  };
}

const contactChange: RiskEvent = { kind: "CONTACT_CHANGE", customerId: "c1", field: "EMAIL", at: at(0) };
const resetRequest: RiskEvent = { kind: "RESET_REQUEST", customerId: "c1", ip: "192.0.2.99", at: at(0) };

describe("contact-change features", () => {
  it("are exactly the kind's features, read from the sign-in the change runs under", () => {
    const values = computeFeatures(contactChange, snapshot({ contactChangesAt: [at(-2 * ONE_HOUR_MS)] }));
    expect(Object.keys(values).sort()).toEqual(featuresOfKind("CONTACT_CHANGE").sort());
    expect(values).toMatchObject({
      contact_field: "EMAIL",
      device_age_hours: 0,
      minutes_since_sign_in: 5,
      ip_country: "CN",
      minutes_since_contact_change: 120,
      contact_changes_24h: 1,
      account_age_days: 400,
    });
  });

  it("count earlier changes in the last 24 hours only, and never one at or after the event", () => {
    const values = computeFeatures(
      contactChange,
      snapshot({
        contactChangesAt: [at(-ONE_DAY_MS - 1), at(-ONE_DAY_MS + 1), at(-MINUTE_MS), at(0), at(MINUTE_MS)],
      }),
    );
    expect(values.contact_changes_24h).toBe(2);
    // The change being decided is not history yet: the one before it is a minute old.
    expect(values.minutes_since_contact_change).toBe(1);
    expect(computeFeatures(contactChange, snapshot()).minutes_since_contact_change).toBe(NEVER_MINUTES);
  });
});

describe("reset-request features", () => {
  it("are exactly the kind's features: no device, no sign-in's address", () => {
    const values = computeFeatures(resetRequest, snapshot());
    expect(Object.keys(values).sort()).toEqual(featuresOfKind("RESET_REQUEST").sort());
    expect(values).not.toHaveProperty("device_age_hours");
    expect(values).not.toHaveProperty("ip_country");
    expect(values).toMatchObject({
      reset_requests_1h: 0,
      reset_requests_24h: 0,
      ip_reset_requests_1h: 0,
      ip_reset_requests_24h: 0,
      ip_reset_accounts_24h: 1,
    });
  });

  it("count the account's and the address's earlier requests per window, the accounts including this one", () => {
    const values = computeFeatures(
      resetRequest,
      snapshot({
        resetRequestsAt: [at(-2 * ONE_DAY_MS), at(-3 * ONE_HOUR_MS), at(-10 * MINUTE_MS), at(0), at(MINUTE_MS)],
        ipResetRequests: [
          { customerId: "c2", at: at(-23 * ONE_HOUR_MS) },
          { customerId: "c3", at: at(-30 * MINUTE_MS) },
          { customerId: null, at: at(-20 * MINUTE_MS) },
          { customerId: "c1", at: at(-10 * MINUTE_MS) },
          { customerId: "c9", at: at(0) },
          { customerId: "c8", at: at(ONE_HOUR_MS) },
        ],
      }),
    );
    expect(values).toMatchObject({
      reset_requests_1h: 1,
      reset_requests_24h: 2,
      ip_reset_requests_1h: 3,
      ip_reset_requests_24h: 4,
      ip_reset_accounts_24h: 3,
    });
  });

  it("a request with no known address has no address counts", () => {
    const values = computeFeatures(
      { ...resetRequest, ip: null },
      snapshot({ ipResetRequests: [{ customerId: "c2", at: at(-MINUTE_MS) }] }),
    );
    expect(values).toMatchObject({ ip_reset_requests_1h: 0, ip_reset_accounts_24h: 1 });
  });

  it("caps a flood at the latest requests, as the live query reads them", () => {
    const flood = Array.from({ length: MAX_COUNTED_RESETS + 50 }, (_, k) => ({
      customerId: `c-${k}`,
      at: at(-(k + 1) * 1000),
    }));
    const values = computeFeatures(resetRequest, snapshot({ ipResetRequests: flood }));
    // The live query reads the latest MAX_COUNTED_RESETS rows before t: the same values.
    const latest = computeFeatures(resetRequest, snapshot({ ipResetRequests: flood.slice(0, MAX_COUNTED_RESETS) }));
    expect(values).toEqual(latest);
    expect(values.ip_reset_requests_24h).toBe(MAX_COUNTED_RESETS);
    expect(values.ip_reset_accounts_24h).toBe(MAX_COUNTED_RESETS);
  });
});

describe("no look-ahead for the account events", () => {
  it("rows after the event never change its features", () => {
    const past = fc.integer({ min: 1, max: 2 * ONE_DAY_MS });
    const future = fc.integer({ min: 1, max: 2 * ONE_DAY_MS });
    fc.assert(
      fc.property(fc.array(past, { maxLength: 20 }), fc.array(future, { maxLength: 20 }), (before, after) => {
        const known = snapshot({
          contactChangesAt: before.map((ms) => at(-ms)),
          resetRequestsAt: before.map((ms) => at(-ms)),
          ipResetRequests: before.map((ms, k) => ({ customerId: `p${k % 3}`, at: at(-ms) })),
        });
        const leaky = snapshot({
          contactChangesAt: [...known.contactChangesAt, ...after.map((ms) => at(ms))],
          resetRequestsAt: [...known.resetRequestsAt, ...after.map((ms) => at(ms))],
          ipResetRequests: [...known.ipResetRequests, ...after.map((ms, k) => ({ customerId: `f${k}`, at: at(ms) }))],
        });
        for (const event of [contactChange, resetRequest]) {
          expect(computeFeatures(event, leaky)).toEqual(computeFeatures(event, known));
        }
      }),
    );
  });
});
