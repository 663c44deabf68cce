// The backtest's replay state: eviction of entries a window old changes no feature (the same values as a snapshot
// holding every earlier event), and what it holds stays bounded by the window, not by the length of the history.
import { describe, expect, it } from "vitest";
import { CustomerTable, ReplayHistory, type ReplaySignIn } from "~/risk/backtest-state";
import { computeFeatures, LONGEST_WINDOW_MS, type FeatureSnapshot, type RiskEvent } from "~/risk/features";

const HOUR = 60 * 60 * 1000;
const START = Date.UTC(2026, 0, 1);

/** A deterministic pseudo-random stream (no test depends on Math.random). */
function lcg(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

describe("the replay state", () => {
  it("evicts only what no feature reads, and holds no more than a window of events", () => {
    const random = lcg(7);
    const customers = new CustomerTable();
    for (let c = 0; c < 30; c++) customers.add(`c${c}`, new Date(START - 100 * 24 * HOUR), c % 3 === 0);
    const history = new ReplayHistory(customers);
    // Everything, never evicted: the snapshot a naive source would give.
    const signIns: ReplaySignIn[] = [];
    const topUps: { customerId: string; at: Date; amount: number; fundingSourceId: string | null }[] = [];
    const purchases: { customerId: string; at: Date; amount: number }[] = [];
    const contacts: { customerId: string; at: Date }[] = [];
    const resets: { customerId: string | null; ip: string; at: Date }[] = [];
    let peak = 0;
    let t = START;
    for (let k = 0; k < 4000; k++) {
      t += random(40) * 60 * 1000; // about ten days in all
      const at = new Date(t);
      const customerId = `c${random(30)}`;
      const kind = random(5);
      if (kind === 0) {
        const row = {
          customerId,
          at,
          ip: `10.0.0.${random(8)}`,
          country: random(10) === 0 ? "VN" : "JP",
          fingerprint: `fp-${random(12)}`,
          deviceFirstSeenAt: new Date(t - random(100) * HOUR),
        };
        history.addSignIn(row);
        signIns.push(row);
        continue;
      }
      if (kind === 1) {
        history.addContactChange(customerId, at);
        contacts.push({ customerId, at });
        continue;
      }
      const amount = 1000 * (1 + random(30));
      const ip = `10.0.0.${random(8)}`;
      const event: RiskEvent =
        kind === 4
          ? { kind: "RESET_REQUEST", customerId, at, ip }
          : kind === 2
            ? { kind: "TOP_UP", customerId, at, amount, channel: "CREDIT_CARD", fundingSourceId: `card-${random(3)}` }
            : { kind: "PURCHASE", customerId, at, amount, storeCode: "S-1", lines: [] };
      const facts = customers.factsOf(customerId);
      const evicted = computeFeatures(event, history.snapshotFor(event, facts));
      const last = signIns.filter((s) => s.customerId === customerId).at(-1) ?? null;
      const naive: FeatureSnapshot = {
        customerCreatedAt: facts.createdAt,
        twoFactorEnrolled: facts.twoFactorEnrolled,
        lastSignIn: last,
        fingerprintSignIns: signIns.filter((s) => last && s.fingerprint === last.fingerprint),
        ipSignIns: signIns.filter((s) => last && s.ip === last.ip),
        contactChangesAt: contacts.filter((c) => c.customerId === customerId).map((c) => c.at),
        resetRequestsAt: resets.filter((r) => r.customerId === customerId).map((r) => r.at),
        ipResetRequests: event.kind === "RESET_REQUEST" ? resets.filter((r) => r.ip === event.ip) : [],
        topUps: topUps.filter((r) => r.customerId === customerId),
        purchases: purchases.filter((r) => r.customerId === customerId),
      };
      expect(evicted).toEqual(computeFeatures(event, naive));
      if (event.kind === "RESET_REQUEST") {
        // Some requests name no account: they still count against their address.
        const named = random(4) === 0 ? null : customerId;
        history.addResetRequest(named, ip, at);
        resets.push({ customerId: named, ip, at });
      } else if (event.kind === "TOP_UP") {
        history.addTopUp(customerId, at, amount, event.fundingSourceId);
        topUps.push({ customerId, at, amount, fundingSourceId: event.fundingSourceId });
      } else if (event.kind === "PURCHASE") {
        history.addPurchase(customerId, at, amount);
        purchases.push({ customerId, at, amount });
      }
      peak = Math.max(peak, history.windowed);
      // Never more than the entries of the last window (plus the one just added).
      const windowed = [...signIns.filter((s) => s.fingerprint), ...signIns, ...topUps, ...purchases, ...contacts];
      const resetEntries = [...resets.filter((r) => r.customerId), ...resets];
      const inWindow = [...windowed, ...resetEntries].filter((r) => r.at.getTime() > t - LONGEST_WINDOW_MS).length;
      expect(history.windowed).toBeLessThanOrEqual(inWindow + 1);
    }
    expect(t - START).toBeGreaterThan(5 * LONGEST_WINDOW_MS);
    const everything = signIns.length * 2 + topUps.length + purchases.length + contacts.length + resets.length;
    expect(peak).toBeLessThan(everything / 3);
  });
});
