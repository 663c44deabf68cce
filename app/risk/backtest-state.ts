// The backtest's source of feature snapshots: sliding windows kept in memory while the recorded events are replayed
// in time order. An event only becomes history after it has been decided, and computeFeatures ignores anything
// after the decision's time, so no backtest decision can see the future.
import { LONGEST_WINDOW_MS, originOf, type FeatureSnapshot, type RiskEvent, type SignInRow } from "~/risk/features";

export interface ReplaySignIn {
  customerId: string;
  at: Date;
  ip: string;
  country: string;
  fingerprint: string | null;
  deviceFirstSeenAt: Date | null;
}

export interface CustomerFacts {
  createdAt: Date;
  twoFactorEnrolled: boolean;
}

/** Drops rows older than the longest window from the front of a time-ordered list. */
function prune<T extends { at: Date }>(rows: T[], before: number): void {
  let k = 0;
  while (k < rows.length && rows[k]!.at.getTime() <= before) k += 1;
  if (k > 0) rows.splice(0, k);
}

export class ReplayHistory {
  private readonly lastSignIn = new Map<string, ReplaySignIn>();
  private readonly byFingerprint = new Map<string, SignInRow[]>();
  private readonly byIp = new Map<string, SignInRow[]>();
  private readonly lastContactChange = new Map<string, Date>();
  private readonly contactChanges = new Map<string, { at: Date }[]>();
  private readonly resetsByCustomer = new Map<string, { at: Date }[]>();
  private readonly resetsByIp = new Map<string, { customerId: string | null; at: Date }[]>();
  private readonly topUps = new Map<string, { at: Date; amount: number; fundingSourceId: string | null }[]>();
  private readonly purchases = new Map<string, { at: Date; amount: number }[]>();

  addSignIn(row: ReplaySignIn): void {
    this.lastSignIn.set(row.customerId, row);
    const entry = { customerId: row.customerId, at: row.at };
    if (row.fingerprint) push(this.byFingerprint, row.fingerprint, entry);
    push(this.byIp, row.ip, entry);
  }

  addContactChange(customerId: string, at: Date): void {
    this.lastContactChange.set(customerId, at);
    push(this.contactChanges, customerId, { at });
  }

  addResetRequest(customerId: string | null, ip: string | null, at: Date): void {
    if (customerId) push(this.resetsByCustomer, customerId, { at });
    if (ip) push(this.resetsByIp, ip, { customerId, at });
  }

  addTopUp(customerId: string, at: Date, amount: number, fundingSourceId: string | null): void {
    push(this.topUps, customerId, { at, amount, fundingSourceId });
  }

  addPurchase(customerId: string, at: Date, amount: number): void {
    push(this.purchases, customerId, { at, amount });
  }

  snapshotFor(event: RiskEvent, facts: CustomerFacts): FeatureSnapshot {
    const before = event.at.getTime() - LONGEST_WINDOW_MS;
    const signIn = this.lastSignIn.get(event.customerId) ?? null;
    const origin = originOf(event) ?? signIn;
    const fingerprintRows = origin?.fingerprint ? (this.byFingerprint.get(origin.fingerprint) ?? []) : [];
    const ipRows = origin ? (this.byIp.get(origin.ip) ?? []) : [];
    const topUps = this.topUps.get(event.customerId) ?? [];
    const purchases = this.purchases.get(event.customerId) ?? [];
    prune(fingerprintRows, before);
    prune(ipRows, before);
    prune(topUps, before);
    prune(purchases, before);
    const contact = this.lastContactChange.get(event.customerId);
    const recentContacts = this.contactChanges.get(event.customerId) ?? [];
    prune(recentContacts, before);
    const resets = this.resetsByCustomer.get(event.customerId) ?? [];
    prune(resets, before);
    const resetIp = event.kind === "RESET_REQUEST" ? event.ip : null;
    const ipResets = resetIp ? (this.resetsByIp.get(resetIp) ?? []) : [];
    prune(ipResets, before);
    return {
      customerCreatedAt: facts.createdAt,
      twoFactorEnrolled: facts.twoFactorEnrolled,
      lastSignIn: signIn && {
        at: signIn.at,
        ip: signIn.ip,
        country: signIn.country,
        fingerprint: signIn.fingerprint,
        deviceFirstSeenAt: signIn.deviceFirstSeenAt,
      },
      fingerprintSignIns: fingerprintRows,
      ipSignIns: ipRows,
      // The latest change (however old) and the last 24 hours' (the latest is among them when recent).
      contactChangesAt: [
        ...recentContacts.map((row) => row.at),
        ...(contact && !recentContacts.some((row) => row.at === contact) ? [contact] : []),
      ],
      resetRequestsAt: resets.map((row) => row.at),
      ipResetRequests: ipResets,
      topUps,
      purchases,
    };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
