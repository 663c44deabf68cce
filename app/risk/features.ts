// The risk features: ONE definition, used by the live payment path and by the backtest. Each feature is computed for
// an event at time t from a snapshot of what was known at t (the event's own fields plus recent history). The
// snapshot may hold more rows than needed; computeFeatures only ever counts rows strictly inside its windows and
// never a row after t, so a source that over-fetches cannot leak the future into a decision.
//
// Sources of snapshots: app/risk/feature-snapshot.server.ts (live: indexed SQL inside the wallet event's own transaction) and
// app/risk/backtest-state.ts (replay: sliding windows kept in memory while events are replayed in time order).

export type FeatureType = "number" | "string" | "bool";

export interface FeatureDefinition {
  type: FeatureType;
  /** The event kinds that have this feature: a rule for another kind may not read it. */
  kinds: readonly EventKind[];
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
/** Reset requests counted per account or IP in a window stop here, and the accounts an IP named are counted among its
 *  latest this many requests: a flood from one address must not make the live query read all of it. Both sources
 *  cap identically (the live query reads the latest this many rows strictly before t). */
export const MAX_COUNTED_RESETS = 1000;
/**
 * A top-up with no recorded sign-in before it cannot happen in the wallet (every top-up runs in a session); it exists
 * only in history recorded before sign-ins were. Such a top-up reads as made at home, on the device the account was
 * opened on: an absence of records is not evidence of a takeover.
 */
export const HOME_COUNTRY = "JP";

export const EVENT_KINDS = ["TOP_UP", "PURCHASE", "SIGN_IN", "CONTACT_CHANGE", "RESET_REQUEST"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONTACT_FIELDS = ["EMAIL", "PHONE"] as const;
export type ContactFieldName = (typeof CONTACT_FIELDS)[number];

const ALL_KINDS = EVENT_KINDS;
const MONEY_KINDS = ["TOP_UP", "PURCHASE"] as const;
/** Events made on a device in a session (or opening one): they have a device and a sign-in's IP. A reset request is
 *  anonymous: it has only the address it came from. */
const DEVICE_KINDS = ["TOP_UP", "PURCHASE", "SIGN_IN", "CONTACT_CHANGE"] as const;
/** Events made under an earlier sign-in. */
const SESSION_KINDS = ["TOP_UP", "PURCHASE", "CONTACT_CHANGE"] as const;
/** Events about the account itself rather than money. */
const ACCOUNT_KINDS = ["SIGN_IN", "CONTACT_CHANGE", "RESET_REQUEST"] as const;

export const FEATURES = {
  amount: { type: "number", kinds: MONEY_KINDS },
  channel: { type: "string", values: FUNDING_CHANNELS, kinds: ["TOP_UP"] },
  account_age_days: { type: "number", kinds: ALL_KINDS },
  has_2fa: { type: "bool", kinds: ALL_KINDS },
  device_age_hours: { type: "number", kinds: DEVICE_KINDS },
  minutes_since_sign_in: { type: "number", kinds: SESSION_KINDS },
  ip_country: { type: "string", kinds: DEVICE_KINDS },
  device_accounts_24h: { type: "number", kinds: DEVICE_KINDS },
  ip_accounts_24h: { type: "number", kinds: DEVICE_KINDS },
  minutes_since_contact_change: { type: "number", kinds: ALL_KINDS },
  contact_changes_24h: { type: "number", kinds: ACCOUNT_KINDS },
  contact_field: { type: "string", values: CONTACT_FIELDS, kinds: ["CONTACT_CHANGE"] },
  reset_requests_1h: { type: "number", kinds: ACCOUNT_KINDS },
  reset_requests_24h: { type: "number", kinds: ACCOUNT_KINDS },
  ip_reset_requests_1h: { type: "number", kinds: ["RESET_REQUEST"] },
  ip_reset_requests_24h: { type: "number", kinds: ["RESET_REQUEST"] },
  ip_reset_accounts_24h: { type: "number", kinds: ["RESET_REQUEST"] },
  topups_1h: { type: "number", kinds: ALL_KINDS },
  topup_yen_1h: { type: "number", kinds: ALL_KINDS },
  topups_24h: { type: "number", kinds: ALL_KINDS },
  topup_yen_24h: { type: "number", kinds: ALL_KINDS },
  source_topups_24h: { type: "number", kinds: ["TOP_UP"] },
  purchases_1h: { type: "number", kinds: ALL_KINDS },
  purchase_yen_24h: { type: "number", kinds: ALL_KINDS },
  store: { type: "string", kinds: ["PURCHASE"] },
  category: { type: "string", kinds: ["PURCHASE"] },
  resellable: { type: "bool", kinds: ["PURCHASE"] },
  resellable_yen: { type: "number", kinds: ["PURCHASE"] },
} as const satisfies Record<string, FeatureDefinition>;

export type FeatureName = keyof typeof FEATURES;
export type FeatureValue = number | string | boolean;
/** The features of one event: only those its kind has (a rule reading another is a defect and fails closed). */
export type FeatureValues = Partial<Record<FeatureName, FeatureValue>>;

export function isFeatureName(name: string): name is FeatureName {
  return Object.prototype.hasOwnProperty.call(FEATURES, name);
}

export function featureAppliesTo(name: FeatureName, kind: EventKind): boolean {
  return (FEATURES[name].kinds as readonly EventKind[]).includes(kind);
}

export function featuresOfKind(kind: EventKind): FeatureName[] {
  return (Object.keys(FEATURES) as FeatureName[]).filter((name) => featureAppliesTo(name, kind));
}

/** The money event being decided. */
export interface TopUpEvent {
  customerId: string;
  fundingSourceId: string;
  channel: FundingChannel;
  amount: number;
  at: Date;
}

export interface PurchaseLine {
  categoryCode: string;
  resellable: boolean;
  /** Quantity × unit price, integer yen. */
  yen: number;
}

export interface PurchaseEvent {
  customerId: string;
  storeCode: string;
  amount: number;
  lines: PurchaseLine[];
  at: Date;
}

/** A sign-in whose password was right, decided before the session (or the second-factor challenge) exists. */
export interface SignInEvent {
  customerId: string;
  ip: string;
  country: string;
  fingerprint: string;
  /** When this account first used the device; null: the device is new to the account. */
  deviceFirstSeenAt: Date | null;
  at: Date;
}

/** A signed-in customer changing their email or phone in the app, decided before the change is applied. */
export interface ContactChangeEvent {
  customerId: string;
  field: ContactFieldName;
  at: Date;
}

/** A self-service password-reset request that named this account, decided before any link is made. */
export interface ResetRequestEvent {
  customerId: string;
  /** The address the request came from (null: unknown). */
  ip: string | null;
  at: Date;
}

export type RiskEvent =
  | ({ kind: "TOP_UP" } & TopUpEvent)
  | ({ kind: "PURCHASE" } & PurchaseEvent)
  | ({ kind: "SIGN_IN" } & SignInEvent)
  | ({ kind: "CONTACT_CHANGE" } & ContactChangeEvent)
  | ({ kind: "RESET_REQUEST" } & ResetRequestEvent);

export interface SignInRow {
  customerId: string;
  at: Date;
}

/** Where the event comes from: a sign-in's own device and IP, or the customer's latest sign-in for money events. */
export function originOf(event: RiskEvent): { fingerprint: string; ip: string } | null {
  return event.kind === "SIGN_IN" ? { fingerprint: event.fingerprint, ip: event.ip } : null;
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
  /** Successful sign-ins from the origin's fingerprint (any account), at least back to t − 24 h. The origin is a
   *  sign-in's own device, or lastSignIn's for a money event. */
  fingerprintSignIns: SignInRow[];
  /** Successful sign-ins from the origin's IP (any account), at least back to t − 24 h. */
  ipSignIns: SignInRow[];
  /** The customer's contact changes (only the times matter): at least the latest one at or before t and all of them
   *  back to t − 24 h. */
  contactChangesAt: Date[];
  /** The customer's self-service reset requests, at least back to t − 24 h (account kinds only; else empty). */
  resetRequestsAt: Date[];
  /** Reset requests from a reset request's own IP (any account, or none), at least back to t − 24 h. */
  ipResetRequests: { customerId: string | null; at: Date }[];
  /** The customer's earlier top-ups, at least back to t − 24 h. */
  topUps: { at: Date; amount: number; fundingSourceId: string | null }[];
  /** The customer's earlier purchases, at least back to t − 24 h. */
  purchases: { at: Date; amount: number }[];
}

const floorDiv = (ms: number, unit: number) => Math.max(0, Math.floor(ms / unit));

function distinctAccountsWithin(rows: SignInRow[], from: number, to: number, also: string | null): number {
  const ids = new Set<string>();
  if (also) ids.add(also);
  for (const row of rows) {
    const t = row.at.getTime();
    if (t > from && t <= to) ids.add(row.customerId);
  }
  return Math.min(ids.size, MAX_COUNTED_ACCOUNTS);
}

/** The line with the most yen names a purchase's category; on a tie the smallest code, so line order never matters. */
function mainCategory(lines: readonly PurchaseLine[]): string {
  let best: PurchaseLine | null = null;
  for (const line of lines) {
    if (!best || line.yen > best.yen || (line.yen === best.yen && line.categoryCode < best.categoryCode)) best = line;
  }
  return best?.categoryCode ?? "";
}

/** The rows strictly inside (from, to), at most the latest MAX_COUNTED_RESETS of them. */
function latestWithin<T extends { at: Date }>(rows: readonly T[], from: number, to: number): T[] {
  const inside = rows.filter((row) => {
    const ms = row.at.getTime();
    return ms > from && ms < to;
  });
  if (inside.length <= MAX_COUNTED_RESETS) return inside;
  return inside.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, MAX_COUNTED_RESETS);
}

export function computeTopUpFeatures(event: TopUpEvent, snapshot: FeatureSnapshot): FeatureValues {
  return computeFeatures({ kind: "TOP_UP", ...event }, snapshot);
}

/**
 * The features of any event kind at its time t. Rows of the snapshot after t (or, for the customer's own money, at
 * t) are ignored. A sign-in is its own origin: its device and IP are the event's, and the accounts counted on them
 * are the ones signed in strictly before it plus this one (the sign-in being decided is not yet recorded).
 */
export function computeFeatures(event: RiskEvent, snapshot: FeatureSnapshot): FeatureValues {
  const t = event.at.getTime();
  const dayAgo = t - ONE_DAY_MS;
  const hourAgo = t - ONE_HOUR_MS;
  const isSignIn = event.kind === "SIGN_IN";
  // A sign-in after t cannot be the one this event runs under.
  const signIn = isSignIn
    ? {
        at: event.at,
        ip: event.ip,
        country: event.country,
        fingerprint: event.fingerprint,
        deviceFirstSeenAt: event.deviceFirstSeenAt,
      }
    : snapshot.lastSignIn && snapshot.lastSignIn.at.getTime() <= t
      ? snapshot.lastSignIn
      : null;
  const firstSeen = signIn
    ? isSignIn
      ? (signIn.deviceFirstSeenAt?.getTime() ?? t)
      : signIn.deviceFirstSeenAt?.getTime()
    : snapshot.customerCreatedAt.getTime();
  // Other accounts' sign-ins at the same moment as a sign-in being decided may or may not be recorded yet.
  const countUntil = isSignIn ? t - 1 : t;
  const self = isSignIn ? event.customerId : null;
  let lastContactChange = -Infinity;
  let contactChanges24h = 0;
  // A contact change being decided is not yet history: only the changes strictly before it count.
  const lastChangeUntil = event.kind === "CONTACT_CHANGE" ? t - 1 : t;
  for (const at of snapshot.contactChangesAt) {
    const ms = at.getTime();
    if (ms <= lastChangeUntil && ms > lastContactChange) lastContactChange = ms;
    // Strictly before t: a change at the same moment may or may not be recorded yet when this event is decided.
    if (ms < t && ms > dayAgo) contactChanges24h += 1;
  }
  const fundingSourceId = event.kind === "TOP_UP" ? event.fundingSourceId : null;
  let topups1h = 0;
  let yen1h = 0;
  let topups24h = 0;
  let yen24h = 0;
  let source24h = 0;
  for (const row of snapshot.topUps) {
    const ms = row.at.getTime();
    // Strictly before t: the event being decided is not history yet.
    if (ms >= t || ms <= dayAgo) continue;
    topups24h += 1;
    yen24h += row.amount;
    if (fundingSourceId !== null && row.fundingSourceId === fundingSourceId) source24h += 1;
    if (ms > hourAgo) {
      topups1h += 1;
      yen1h += row.amount;
    }
  }
  let purchases1h = 0;
  let purchaseYen24h = 0;
  for (const row of snapshot.purchases) {
    const ms = row.at.getTime();
    if (ms >= t || ms <= dayAgo) continue;
    purchaseYen24h += row.amount;
    if (ms > hourAgo) purchases1h += 1;
  }
  const values: FeatureValues = {
    account_age_days: floorDiv(t - snapshot.customerCreatedAt.getTime(), ONE_DAY_MS),
    has_2fa: snapshot.twoFactorEnrolled,
    device_age_hours: firstSeen === undefined || firstSeen > t ? 0 : floorDiv(t - firstSeen, ONE_HOUR_MS),
    ip_country: signIn?.country ?? HOME_COUNTRY,
    device_accounts_24h: signIn?.fingerprint
      ? distinctAccountsWithin(snapshot.fingerprintSignIns, dayAgo, countUntil, self)
      : 0,
    ip_accounts_24h: signIn ? distinctAccountsWithin(snapshot.ipSignIns, dayAgo, countUntil, self) : 0,
    minutes_since_contact_change:
      lastContactChange === -Infinity
        ? NEVER_MINUTES
        : Math.min(NEVER_MINUTES, floorDiv(t - lastContactChange, MINUTE_MS)),
    topups_1h: topups1h,
    topup_yen_1h: yen1h,
    topups_24h: topups24h,
    topup_yen_24h: yen24h,
    purchases_1h: purchases1h,
    purchase_yen_24h: purchaseYen24h,
  };
  if (event.kind === "TOP_UP" || event.kind === "PURCHASE") values.amount = event.amount;
  if (event.kind === "TOP_UP" || event.kind === "PURCHASE" || event.kind === "CONTACT_CHANGE") {
    values.minutes_since_sign_in = signIn ? floorDiv(t - signIn.at.getTime(), MINUTE_MS) : NEVER_MINUTES;
  }
  if (event.kind === "RESET_REQUEST") {
    // An anonymous request has no device and no sign-in: the device features are not its own.
    delete values.device_age_hours;
    delete values.ip_country;
    delete values.device_accounts_24h;
    delete values.ip_accounts_24h;
    const fromIp = event.ip === null ? [] : latestWithin(snapshot.ipResetRequests, dayAgo, t);
    const ipAccounts = new Set<string>([event.customerId]);
    for (const row of fromIp) if (row.customerId) ipAccounts.add(row.customerId);
    values.ip_reset_requests_1h = fromIp.filter((row) => row.at.getTime() > hourAgo).length;
    values.ip_reset_requests_24h = fromIp.length;
    values.ip_reset_accounts_24h = Math.min(ipAccounts.size, MAX_COUNTED_ACCOUNTS);
  }
  if (event.kind === "SIGN_IN" || event.kind === "CONTACT_CHANGE" || event.kind === "RESET_REQUEST") {
    const resets = latestWithin(
      snapshot.resetRequestsAt.map((at) => ({ at })),
      dayAgo,
      t,
    );
    values.reset_requests_1h = resets.filter((row) => row.at.getTime() > hourAgo).length;
    values.reset_requests_24h = resets.length;
  }
  if (event.kind === "CONTACT_CHANGE") values.contact_field = event.field;
  if (event.kind === "SIGN_IN" || event.kind === "CONTACT_CHANGE" || event.kind === "RESET_REQUEST") {
    values.contact_changes_24h = contactChanges24h;
  }
  if (event.kind === "TOP_UP") {
    values.channel = event.channel;
    values.source_topups_24h = source24h;
  }
  if (event.kind === "PURCHASE") {
    let resellableYen = 0;
    for (const line of event.lines) if (line.resellable) resellableYen += line.yen;
    values.store = event.storeCode;
    values.category = mainCategory(event.lines);
    values.resellable = event.lines.some((line) => line.resellable);
    values.resellable_yen = resellableYen;
  }
  return values;
}
