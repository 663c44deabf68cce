// The detectors: named, versioned definitions of a per-minute series over the wallet's events, how far above its
// seasonal baseline counts as an alert, and which accounts, devices, IPs and stores are behind it.
// Changing what a detector counts or its thresholds means a new version: alerts record the version that raised them.
import type { DetectEvent } from "./events";
import { MINUTE_MS } from "./events";

const HOUR_MS = 60 * MINUTE_MS;
const FIFTEEN_MINUTES = 15 * MINUTE_MS;
const TEN_MINUTES = 10 * MINUTE_MS;
/** "Within the hour": how long a new-device sign-in or a contact change taints the account's next top-ups. */
export const TAINT_MS = HOUR_MS;
export const HOME_COUNTRY = "JP";
/** Every count detector alerts at the same surprise: fewer than 1 chance in 1,000,000 under its baseline. */
export const COUNT_THRESHOLD = 6;
/** A count series is never expected to be quieter than 1 event in 20 windows. */
export const COUNT_LEVEL_FLOOR = 0.05;

export const SEVERITIES = ["LOW", "MEDIUM", "HIGH"] as const;
export type Severity = (typeof SEVERITIES)[number];
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** One event's contribution to a detector's series. */
export interface Hit {
  at: number;
  /** Counted in the series: 1 for a count, yen for a volume. */
  weight: number;
  /** What the series is grouped by for per-key aggregates (an IP, a device, a store); "" otherwise. */
  key: string;
  customerId: string;
  fingerprint: string | null;
  ip: string | null;
  storeCode: string | null;
}

/** What the engine remembers per account across events (so a top-up can be tied to an earlier sign-in). */
export interface AccountMemory {
  lastNewDeviceSignInAt(customerId: string): number | undefined;
  lastContactChangeAt(customerId: string): number | undefined;
}

export type Aggregate =
  | "sum" // total weight in the window
  | "max-accounts-per-key" // the largest number of distinct accounts behind one key in the window
  | "max-sum-per-key"; // the largest total weight of one key in the window

export interface DetectorDefinition {
  key: string;
  version: number;
  windowMs: number;
  aggregate: Aggregate;
  /** Counts: the least level ever expected (a series that is almost always 0 still sees a stray event).
   *  Yen: the least spread (MAD is 0 when most windows are empty). */
  noiseFloor: number;
  /** The series counts events (accounts, sign-ins, top-ups), so its noise is at least Poisson; false for yen. */
  counts: boolean;
  /** Score for LOW (counts: −log10 of the Poisson tail probability; yen: robust z); MEDIUM at 2×, HIGH at 4×. */
  threshold: number;
  /** Never alert below this absolute value, whatever the baseline: one event is not a wave. */
  minValue: number;
  /**
   * Judge the value against the attempts behind it rather than against its own history alone: every hit is an attempt
   * and weighs 1 when it counts (a failure) or 0 when it does not, the window's attempts are recorded as a series of
   * their own (`attemptsSeriesKey`), and the value is scored against the attempts times the ratio usual at this time of
   * the week, never below `ratioFloor`. `minValue` still applies to the count. Until two weeks or two days have
   * attempts recorded, the value is judged against its own history as without this.
   */
  rate?: { ratioFloor: number };
  hitsFor(event: DetectEvent, memory: AccountMemory): Hit[];
}

/** The series a rate detector records its attempts in, beside its own. */
export function attemptsSeriesKey(detector: string): string {
  return `${detector}:attempts`;
}

function hit(event: DetectEvent, weight: number, key: string, extra: Partial<Hit> = {}): Hit {
  return {
    at: event.at,
    weight,
    key,
    customerId: event.customerId,
    fingerprint: null,
    ip: null,
    storeCode: null,
    ...extra,
  };
}

export const newDeviceSignInsAbroad: DetectorDefinition = {
  key: "signin-new-device-abroad",
  version: 1,
  windowMs: FIFTEEN_MINUTES,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 3,
  hitsFor: (e) =>
    e.kind === "signin" && e.success && e.newDevice && e.country !== HOME_COUNTRY
      ? [hit(e, 1, "", { fingerprint: e.fingerprint, ip: e.ip })]
      : [],
};

export const accountsPerIp: DetectorDefinition = {
  key: "accounts-per-ip",
  version: 1,
  windowMs: HOUR_MS,
  aggregate: "max-accounts-per-key",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 6,
  hitsFor: (e) => (e.kind === "signin" ? [hit(e, 1, e.ip, { fingerprint: e.fingerprint, ip: e.ip })] : []),
};

export const accountsPerDevice: DetectorDefinition = {
  key: "accounts-per-device",
  version: 1,
  windowMs: HOUR_MS,
  aggregate: "max-accounts-per-key",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 3,
  hitsFor: (e) =>
    e.kind === "signin" && e.fingerprint ? [hit(e, 1, e.fingerprint, { fingerprint: e.fingerprint, ip: e.ip })] : [],
};

export const cardTopUpsAfterNewDevice: DetectorDefinition = {
  key: "card-topup-after-new-device",
  version: 1,
  windowMs: FIFTEEN_MINUTES,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 2,
  hitsFor: (e, memory) => {
    if (e.kind !== "topup" || e.channel !== "CREDIT_CARD") return [];
    const signedInAt = memory.lastNewDeviceSignInAt(e.customerId);
    return signedInAt !== undefined && e.at - signedInAt <= TAINT_MS ? [hit(e, 1, "")] : [];
  },
};

export const resellablePerStore: DetectorDefinition = {
  key: "resellable-per-store",
  version: 1,
  windowMs: HOUR_MS,
  aggregate: "max-sum-per-key",
  counts: false,
  // Yen: a single ordinary carton is ¥5,000, so spreads below that are noise.
  noiseFloor: 5_000,
  threshold: 4,
  minValue: 40_000,
  hitsFor: (e) =>
    e.kind === "purchase" && e.resellableYen > 0
      ? [hit(e, e.resellableYen, e.storeCode, { storeCode: e.storeCode })]
      : [],
};

export const topUpsAfterContactChange: DetectorDefinition = {
  key: "topup-after-contact-change",
  version: 1,
  windowMs: HOUR_MS,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 2,
  hitsFor: (e, memory) => {
    if (e.kind !== "topup") return [];
    const changedAt = memory.lastContactChangeAt(e.customerId);
    return changedAt !== undefined && e.at - changedAt <= TAINT_MS ? [hit(e, 1, "")] : [];
  },
};

/**
 * An e-mail or phone changed within the hour after the account was opened on a new device: the takeover itself, seen
 * when it happens rather than when the money moves. An attacker who changes the contact and waits hours before topping
 * up (past the hour the top-up detectors look back) is otherwise seen by nothing. Reads only the events the minute's
 * lookback already loads (window + taint), so it adds no query.
 */
export const contactChangeAfterNewDevice: DetectorDefinition = {
  key: "contact-change-after-new-device",
  version: 1,
  windowMs: HOUR_MS,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  // A customer with a new phone who fixes their address is ordinary; three accounts in an hour is a pattern.
  minValue: 3,
  hitsFor: (e, memory) => {
    if (e.kind !== "contact") return [];
    const signedInAt = memory.lastNewDeviceSignInAt(e.customerId);
    return signedInAt !== undefined && e.at >= signedInAt && e.at - signedInAt <= TAINT_MS ? [hit(e, 1, "")] : [];
  },
};

/**
 * Failed sign-ins against the sign-ins attempted in the same ten minutes (version 2; version 1 counted failures
 * against their own history, so a payday's extra sign-ins alarmed and a large wallet's ordinary failures hid slow
 * credential stuffing). A payday brings more attempts at the usual failure ratio and is expected; stuffing raises the
 * ratio. At least six failures: a handful of attempts at night is not a wave.
 */
export const failedSignInRate: DetectorDefinition = {
  key: "failed-signin-rate",
  version: 2,
  windowMs: TEN_MINUTES,
  aggregate: "sum",
  counts: true,
  noiseFloor: COUNT_LEVEL_FLOOR,
  threshold: COUNT_THRESHOLD,
  minValue: 6,
  // Ordinary customers mistype about one sign-in in thirty: a ratio learned from quiet minutes is never taken lower
  // than one in a hundred.
  rate: { ratioFloor: 0.01 },
  hitsFor: (e) =>
    e.kind === "signin" ? [hit(e, e.success ? 0 : 1, "", { fingerprint: e.fingerprint, ip: e.ip })] : [],
};

export const DETECTORS: readonly DetectorDefinition[] = [
  newDeviceSignInsAbroad,
  accountsPerIp,
  accountsPerDevice,
  cardTopUpsAfterNewDevice,
  resellablePerStore,
  topUpsAfterContactChange,
  failedSignInRate,
  contactChangeAfterNewDevice,
];
