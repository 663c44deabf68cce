// The risk features: ONE definition, used by the live payment path and by the backtest. Each feature is computed for
// an event at time t from a snapshot of what was known at t (the event's own fields plus recent history). The
// snapshot may hold more rows than needed; computeTopUpFeatures only ever counts rows strictly inside its windows and
// never a row after t, so a source that over-fetches cannot leak the future into a decision.
//
// Sources of snapshots: app/risk/feature-snapshot.server.ts (live: indexed SQL inside the top-up's transaction) and
// app/risk/backtest-state.ts (replay: sliding windows kept in memory while events are replayed in time order).

export type FeatureType = "number" | "string" | "bool";

export interface FeatureDefinition {
  type: FeatureType;
  /** For string features: every value the feature can take (a rule naming another value is refused). */
  values?: readonly string[];
}

export const FUNDING_CHANNELS = ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"] as const;
export type FundingChannel = (typeof FUNDING_CHANNELS)[number];

export const MINUTE_MS = 60 * 1000;
export const ONE_HOUR_MS = 60 * MINUTE_MS;
export const ONE_DAY_MS = 24 * ONE_HOUR_MS;
/** The longest window any feature looks back over: the live query fetches no history older than this. */
export const LONGEST_WINDOW_MS = ONE_DAY_MS;
/** What "never" reads as in a minutes-since feature: far beyond any threshold a rule would use (about 19 years). */
export const NEVER_MINUTES = 10_000_000;
/** Distinct accounts counted per device or IP stop here: a carrier's shared IP must not make the live query scan
 *  thousands of sign-ins, and a rule never needs to tell 1,000 accounts from 5,000. Both sources cap identically. */
export const MAX_COUNTED_ACCOUNTS = 1000;
/**
 * A top-up with no recorded sign-in before it cannot happen in the wallet (every top-up runs in a session); it exists
 * only in history recorded before sign-ins were. Such a top-up reads as made at home, on the device the account was
 * opened on: an absence of records is not evidence of a takeover.
 */
export const HOME_COUNTRY = "JP";

export const FEATURES = {
  amount: { type: "number" },
  channel: { type: "string", values: FUNDING_CHANNELS },
  account_age_days: { type: "number" },
  has_2fa: { type: "bool" },
  device_age_hours: { type: "number" },
  minutes_since_sign_in: { type: "number" },
  ip_country: { type: "string" },
  device_accounts_24h: { type: "number" },
  ip_accounts_24h: { type: "number" },
  minutes_since_contact_change: { type: "number" },
  topups_1h: { type: "number" },
  topup_yen_1h: { type: "number" },
  topups_24h: { type: "number" },
  topup_yen_24h: { type: "number" },
  source_topups_24h: { type: "number" },
} as const satisfies Record<string, FeatureDefinition>;

export type FeatureName = keyof typeof FEATURES;
export type FeatureValue = number | string | boolean;
export type FeatureValues = Record<FeatureName, FeatureValue>;

export function isFeatureName(name: string): name is FeatureName {
  return Object.prototype.hasOwnProperty.call(FEATURES, name);
}

/** The money event being decided. */
export interface TopUpEvent {
  customerId: string;
  fundingSourceId: string;
  channel: FundingChannel;
  amount: number;
  at: Date;
}

export interface SignInRow {
  customerId: string;
  at: Date;
}

/** What was known about the customer, their device and IP at the event's time. */
export interface FeatureSnapshot {
  customerCreatedAt: Date;
  twoFactorEnrolled: boolean;
  /** The latest successful sign-in at or before t, with its device (null: no sign-in known). */
  lastSignIn: {
    at: Date;
    ip: string;
    country: string;
    fingerprint: string | null;
    deviceFirstSeenAt: Date | null;
  } | null;
  /** Successful sign-ins from lastSignIn's fingerprint (any account), at least back to t − 24 h. */
  fingerprintSignIns: SignInRow[];
  /** Successful sign-ins from lastSignIn's IP (any account), at least back to t − 24 h. */
  ipSignIns: SignInRow[];
  /** The customer's contact changes (only the times matter), at least the latest one at or before t. */
  contactChangesAt: Date[];
  /** The customer's earlier top-ups, at least back to t − 24 h. */
  topUps: { at: Date; amount: number; fundingSourceId: string | null }[];
}

const floorDiv = (ms: number, unit: number) => Math.max(0, Math.floor(ms / unit));

function distinctAccountsWithin(rows: SignInRow[], from: number, to: number): number {
  const ids = new Set<string>();
  for (const row of rows) {
    const t = row.at.getTime();
    if (t > from && t <= to) ids.add(row.customerId);
  }
  return Math.min(ids.size, MAX_COUNTED_ACCOUNTS);
}

export function computeTopUpFeatures(event: TopUpEvent, snapshot: FeatureSnapshot): FeatureValues {
  const t = event.at.getTime();
  const dayAgo = t - ONE_DAY_MS;
  const hourAgo = t - ONE_HOUR_MS;
  // A sign-in after t cannot be the one this top-up runs under.
  const signIn = snapshot.lastSignIn && snapshot.lastSignIn.at.getTime() <= t ? snapshot.lastSignIn : null;
  const firstSeen = signIn ? signIn.deviceFirstSeenAt?.getTime() : snapshot.customerCreatedAt.getTime();
  let lastContactChange = -Infinity;
  for (const at of snapshot.contactChangesAt) {
    const ms = at.getTime();
    if (ms <= t && ms > lastContactChange) lastContactChange = ms;
  }
  let topups1h = 0;
  let yen1h = 0;
  let topups24h = 0;
  let yen24h = 0;
  let source24h = 0;
  for (const row of snapshot.topUps) {
    const ms = row.at.getTime();
    // Strictly before t: the top-up being decided is not history yet.
    if (ms >= t || ms <= dayAgo) continue;
    topups24h += 1;
    yen24h += row.amount;
    if (row.fundingSourceId === event.fundingSourceId) source24h += 1;
    if (ms > hourAgo) {
      topups1h += 1;
      yen1h += row.amount;
    }
  }
  return {
    amount: event.amount,
    channel: event.channel,
    account_age_days: floorDiv(t - snapshot.customerCreatedAt.getTime(), ONE_DAY_MS),
    has_2fa: snapshot.twoFactorEnrolled,
    device_age_hours: firstSeen === undefined || firstSeen > t ? 0 : floorDiv(t - firstSeen, ONE_HOUR_MS),
    minutes_since_sign_in: signIn ? floorDiv(t - signIn.at.getTime(), MINUTE_MS) : NEVER_MINUTES,
    ip_country: signIn?.country ?? HOME_COUNTRY,
    device_accounts_24h: signIn?.fingerprint ? distinctAccountsWithin(snapshot.fingerprintSignIns, dayAgo, t) : 0,
    ip_accounts_24h: signIn ? distinctAccountsWithin(snapshot.ipSignIns, dayAgo, t) : 0,
    minutes_since_contact_change:
      lastContactChange === -Infinity
        ? NEVER_MINUTES
        : Math.min(NEVER_MINUTES, floorDiv(t - lastContactChange, MINUTE_MS)),
    topups_1h: topups1h,
    topup_yen_1h: yen1h,
    topups_24h: topups24h,
    topup_yen_24h: yen24h,
    source_topups_24h: source24h,
  };
}
