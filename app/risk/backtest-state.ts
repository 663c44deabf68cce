// The backtest's source of feature snapshots: sliding windows kept in memory while the recorded events are replayed
// in time order. An event only becomes history after it has been decided, and computeFeatures ignores anything
// after the decision's time, so no backtest decision can see the future.
//
// Memory is bounded (docs/decisions/046-backtest-job.md): what is kept per customer is a few numbers in typed arrays
// (indexed by a customer number) and the latest sign-in's strings; what is kept per event lives only as long as the
// longest window (LONGEST_WINDOW_MS): a time-ordered queue of every windowed entry drops each one, and the device,
// IP or customer list it sat in, once the replay's clock has moved a window past it. Nothing grows with the length of
// the recording.
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

/** A float array that doubles when an index beyond its end is written; unwritten slots read as NaN ("none"). */
function grown(array: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  if (size <= array.length) return array;
  const next = new Float64Array(Math.max(size, array.length * 2, 1024)).fill(NaN);
  next.set(array);
  return next;
}

/**
 * Every customer as a number, with the facts a feature reads as typed arrays: one Map entry (id → number) and
 * 9 bytes per customer. A customer the table was not loaded with (an event for an account created meanwhile) gets
 * a number when first seen, with no facts.
 */
export class CustomerTable {
  private readonly numbers = new Map<string, number>();
  private createdAt = new Float64Array(0);
  private twoFactor = new Uint8Array(0);

  get size(): number {
    return this.numbers.size;
  }

  /** The customer's number, given one on first sight. */
  numberOf(customerId: string): number {
    let n = this.numbers.get(customerId);
    if (n === undefined) {
      n = this.numbers.size;
      this.numbers.set(customerId, n);
      this.createdAt = grown(this.createdAt, n + 1);
      if (this.twoFactor.length <= n) {
        const next = new Uint8Array(this.createdAt.length);
        next.set(this.twoFactor);
        this.twoFactor = next;
      }
    }
    return n;
  }

  add(customerId: string, createdAt: Date, twoFactorEnrolled: boolean): void {
    const n = this.numberOf(customerId);
    this.createdAt[n] = createdAt.getTime();
    this.twoFactor[n] = twoFactorEnrolled ? 1 : 0;
  }

  /** What a feature reads of the customer; an unknown customer reads as created at the epoch, without 2FA. */
  factsOf(customerId: string): CustomerFacts {
    const n = this.numbers.get(customerId);
    const createdAt = n === undefined ? NaN : this.createdAt[n]!;
    return {
      createdAt: new Date(Number.isNaN(createdAt) ? 0 : createdAt),
      twoFactorEnrolled: n !== undefined && this.twoFactor[n] === 1,
    };
  }
}

/** A set of customers as one bit each (the backtest counts victims stopped, legitimate customers touched…). */
export class CustomerSet {
  private bits = new Uint8Array(0);
  size = 0;

  constructor(private readonly table: CustomerTable) {}

  add(customerId: string): void {
    const n = this.table.numberOf(customerId);
    const byte = n >> 3;
    if (byte >= this.bits.length) {
      const next = new Uint8Array(Math.max(byte + 1, this.bits.length * 2, 1024));
      next.set(this.bits);
      this.bits = next;
    }
    const bit = 1 << (n & 7);
    if ((this.bits[byte]! & bit) === 0) {
      this.bits[byte]! |= bit;
      this.size += 1;
    }
  }
}

/** Drops rows at or before `before` from the front of a time-ordered list. */
function prune<T extends { at: Date }>(rows: T[], before: number): void {
  let k = 0;
  while (k < rows.length && rows[k]!.at.getTime() <= before) k += 1;
  if (k > 0) rows.splice(0, k);
}

type TopUpEntry = { at: Date; amount: number; fundingSourceId: string | null };
type PurchaseEntry = { at: Date; amount: number };
type ResetEntry = { customerId: string | null; at: Date };

// Which windowed list an entry of the eviction queue sits in.
const BY_FINGERPRINT = 0;
const BY_IP = 1;
const TOP_UPS = 2;
const PURCHASES = 3;
const CONTACT_CHANGES = 4;
const RESETS_BY_CUSTOMER = 5;
const RESETS_BY_IP = 6;

export class ReplayHistory {
  // The latest sign-in of each customer (by customer number): its time, IP, country, device and device age.
  private signInAt = new Float64Array(0);
  private deviceFirstSeen = new Float64Array(0);
  private readonly signInIp: string[] = [];
  private readonly signInCountry: string[] = [];
  private readonly signInFingerprint: (string | null)[] = [];
  /** Countries are few: each is kept once, not once per customer. */
  private readonly countries = new Map<string, string>();
  private lastContactChange = new Float64Array(0);
  // The windows: only entries younger than the longest window (older ones are evicted, empty lists deleted).
  private readonly byFingerprint = new Map<string, SignInRow[]>();
  private readonly byIp = new Map<string, SignInRow[]>();
  private readonly topUps = new Map<number, TopUpEntry[]>();
  private readonly purchases = new Map<number, PurchaseEntry[]>();
  private readonly contactChanges = new Map<number, { at: Date }[]>();
  private readonly resetsByCustomer = new Map<number, { at: Date }[]>();
  private readonly resetsByIp = new Map<string, ResetEntry[]>();
  /** Every windowed list, indexed by the numbers above (the eviction queue names a list by its number). */
  private readonly windows = [
    this.byFingerprint,
    this.byIp,
    this.topUps,
    this.purchases,
    this.contactChanges,
    this.resetsByCustomer,
    this.resetsByIp,
  ] as Map<string | number, { at: Date }[]>[];
  // Every windowed entry in the order it was added (time order): when it leaves the window, and where it sits.
  private queueAt: number[] = [];
  private queueList: number[] = [];
  private queueKey: (string | number)[] = [];
  private queueHead = 0;

  constructor(private readonly customers: CustomerTable = new CustomerTable()) {}

  /** Entries currently held in the windows (the benchmark and the tests read it: it must not grow with history). */
  get windowed(): number {
    return this.queueAt.length - this.queueHead;
  }

  /** Makes room for customer number n in every per-customer array (kept dense: no holes, no dictionary mode). */
  private room(n: number): void {
    if (n < this.signInAt.length) return;
    const size = Math.max(n + 1, this.customers.size);
    this.signInAt = grown(this.signInAt, size);
    this.deviceFirstSeen = grown(this.deviceFirstSeen, size);
    this.lastContactChange = grown(this.lastContactChange, size);
    for (let k = this.signInIp.length; k < this.signInAt.length; k++) {
      this.signInIp.push("");
      this.signInCountry.push("");
      this.signInFingerprint.push(null);
    }
  }

  addSignIn(row: ReplaySignIn): void {
    const n = this.customers.numberOf(row.customerId);
    const at = row.at.getTime();
    this.evictUntil(at);
    this.room(n);
    this.signInAt[n] = at;
    this.deviceFirstSeen[n] = row.deviceFirstSeenAt ? row.deviceFirstSeenAt.getTime() : NaN;
    this.signInIp[n] = row.ip;
    let country = this.countries.get(row.country);
    if (country === undefined) {
      country = row.country;
      this.countries.set(country, country);
    }
    this.signInCountry[n] = country;
    this.signInFingerprint[n] = row.fingerprint;
    const entry = { customerId: row.customerId, at: row.at };
    if (row.fingerprint) this.push(this.byFingerprint, BY_FINGERPRINT, row.fingerprint, entry);
    this.push(this.byIp, BY_IP, row.ip, entry);
  }

  addContactChange(customerId: string, at: Date): void {
    this.evictUntil(at.getTime());
    const n = this.customers.numberOf(customerId);
    this.room(n);
    this.lastContactChange[n] = at.getTime();
    this.push(this.contactChanges, CONTACT_CHANGES, n, { at });
  }

  addResetRequest(customerId: string | null, ip: string | null, at: Date): void {
    this.evictUntil(at.getTime());
    if (customerId) this.push(this.resetsByCustomer, RESETS_BY_CUSTOMER, this.customers.numberOf(customerId), { at });
    if (ip) this.push(this.resetsByIp, RESETS_BY_IP, ip, { customerId, at });
  }

  addTopUp(customerId: string, at: Date, amount: number, fundingSourceId: string | null): void {
    this.evictUntil(at.getTime());
    this.push(this.topUps, TOP_UPS, this.customers.numberOf(customerId), { at, amount, fundingSourceId });
  }

  addPurchase(customerId: string, at: Date, amount: number): void {
    this.evictUntil(at.getTime());
    this.push(this.purchases, PURCHASES, this.customers.numberOf(customerId), { at, amount });
  }

  snapshotFor(event: RiskEvent, facts: CustomerFacts): FeatureSnapshot {
    const t = event.at.getTime();
    this.evictUntil(t);
    const n = this.customers.numberOf(event.customerId);
    this.room(n);
    const signInAt = this.signInAt[n]!;
    const signIn = Number.isNaN(signInAt)
      ? null
      : {
          at: new Date(signInAt),
          ip: this.signInIp[n]!,
          country: this.signInCountry[n]!,
          fingerprint: this.signInFingerprint[n] ?? null,
          deviceFirstSeenAt: Number.isNaN(this.deviceFirstSeen[n]!) ? null : new Date(this.deviceFirstSeen[n]!),
        };
    const origin = originOf(event) ?? signIn;
    const contact = this.lastContactChange[n]!;
    const recentContacts = this.contactChanges.get(n) ?? [];
    const resetIp = event.kind === "RESET_REQUEST" ? event.ip : null;
    return {
      customerCreatedAt: facts.createdAt,
      twoFactorEnrolled: facts.twoFactorEnrolled,
      lastSignIn: signIn,
      fingerprintSignIns: origin?.fingerprint ? (this.byFingerprint.get(origin.fingerprint) ?? []) : [],
      ipSignIns: origin ? (this.byIp.get(origin.ip) ?? []) : [],
      // The latest change (however old) and the last window's (the latest is among them when recent).
      contactChangesAt: [
        ...recentContacts.map((row) => row.at),
        ...(!Number.isNaN(contact) && !recentContacts.some((row) => row.at.getTime() === contact)
          ? [new Date(contact)]
          : []),
      ],
      resetRequestsAt: (this.resetsByCustomer.get(n) ?? []).map((row) => row.at),
      ipResetRequests: resetIp ? (this.resetsByIp.get(resetIp) ?? []) : [],
      topUps: this.topUps.get(n) ?? [],
      purchases: this.purchases.get(n) ?? [],
    };
  }

  private push<K extends string | number, T extends { at: Date }>(
    map: Map<K, T[]>,
    list: number,
    key: K,
    value: T,
  ): void {
    const rows = map.get(key);
    if (rows) rows.push(value);
    else map.set(key, [value]);
    this.queueAt.push(value.at.getTime());
    this.queueList.push(list);
    this.queueKey.push(key);
  }

  /**
   * Drops every windowed entry at or before t − the longest window (no feature reads it at t or later: the replay's
   * clock only moves forward), and a device's, IP's or customer's list once it is empty.
   */
  private evictUntil(t: number): void {
    const before = t - LONGEST_WINDOW_MS;
    let head = this.queueHead;
    while (head < this.queueAt.length && this.queueAt[head]! <= before) {
      const list = this.queueList[head]!;
      const key = this.queueKey[head]!;
      const map = this.windows[list]!;
      const rows = map.get(key);
      if (rows) {
        prune(rows, before);
        if (rows.length === 0) map.delete(key);
      }
      head += 1;
    }
    this.queueHead = head;
    // Compact the queue once the evicted front is most of it (amortised O(1) per entry).
    if (head > 65_536 && head * 2 > this.queueAt.length) {
      this.queueAt = this.queueAt.slice(head);
      this.queueList = this.queueList.slice(head);
      this.queueKey = this.queueKey.slice(head);
      this.queueHead = 0;
    }
  }
}
