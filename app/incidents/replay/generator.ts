// The 7pay replay: a deterministic generator of ordinary wallet customers and of the July 2019 account-takeover
// incident hidden among them. Pure (no database, no I/O): the loader (load.server.ts) writes what this produces, and
// tests can run it in memory. Same options ⇒ same rows, same UUIDs, same ground truth, whatever the chunk size.
//
// What happened (July 2019, 7pay): ~900 accounts were signed into from new devices on foreign IPs (credential
// stuffing: a few devices and IPs shared across many victims, plus one-off ones), some had their email changed first,
// the victims' linked credit cards topped up their wallets (~¥55,000,000 in all) and the money was spent at a few
// convenience stores on resellable goods (e-cigarette cartridges, gift cards…); one Shinjuku store sold ≈ ¥730,000 of
// e-cigarette cartridges.
//
// Streams: every customer has its own RNG stream (seed, CUSTOMER, index); the incident plan has one stream. So a
// customer's rows depend only on (seed, index, the plan), never on chunking.
import { createHash } from "node:crypto";
import {
  ANDROID_MODELS,
  ATTACK_STORE_CODES,
  ATTACKER_COUNTRY_WEIGHTS,
  ATTACKER_EMAIL_DOMAINS,
  ATTACKER_IP_PREFIXES,
  ATTACKER_MODELS,
  BANKS,
  CARD_BRANDS,
  CASH_CHANNEL_BRAND,
  EMAIL_DOMAINS,
  FAMILY_NAMES,
  FEMALE_GIVEN_NAMES,
  IOS_MODELS,
  JP_IP_PREFIXES,
  MALE_GIVEN_NAMES,
  MOBILE_PREFIXES,
  PRODUCTS,
  REGION_WEIGHTS,
  SHINJUKU_STORE_CODE,
  STORES,
  TRAVEL_COUNTRY_WEIGHTS,
  TRAVEL_IP_PREFIXES,
  UPGRADE_MODELS,
  type CategoryCode,
  type Product,
  type Region,
  type StoreSpec,
} from "./reference-data";
import {
  GENERATOR_VERSION,
  REPLAY_TABLES,
  RowBatch,
  type FundingKind,
  type GroundTruth,
  type IncidentRow,
  type ReplayChunk,
  type ReplayConfig,
  type ReplayOptions,
  type ReplayTableName,
  type StoreRow,
} from "./replay-rows";
import { normaliseSeed, Rng, weightedTable } from "./rng";

type Ms = number;

// ───────────────────────────── Scale and calendar ─────────────────────────────

export const INCIDENT_CODE = "INC-2019-07-7PAY";
export const DEFAULT_CUSTOMERS = 5000;
export const DEFAULT_SEED = 20190701;
/** The real incident: ~900 victims, ~¥55,000,000 topped up, ≈ ¥730,000 of cartridges at one Shinjuku store. */
export const REAL_VICTIMS = 900;
export const REAL_FRAUD_TOP_UP_YEN = 55_000_000;
export const REAL_SHINJUKU_ECIG_YEN = 730_000;
/** At the default scale (5,000 customers) the victims are the real 900; fewer customers scale them down. */
export const VICTIMS_PER_DEFAULT_SCALE = REAL_VICTIMS / DEFAULT_CUSTOMERS;

/** Midnight (or a given time) in Japan, as UTC milliseconds. JST is UTC+9 all year. */
export function jst(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour - 9, minute);
}
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Customers joined the wallet over the year before the window. */
const JOINED_FROM = jst(2018, 6, 1);
const JOINED_UNTIL = jst(2019, 5, 31);
/** Ordinary activity: five weeks up to the end of 4 July 2019 (JST). */
export const ACTIVITY_START = jst(2019, 6, 1);
export const ACTIVITY_END = jst(2019, 7, 5);
/** The incident: 1–4 July 2019 JST. */
export const INCIDENT_START = jst(2019, 7, 1);
export const INCIDENT_END = jst(2019, 7, 4, 23, 0);
/** The incident record covers the whole breach: it is opened at the start of 1 July (JST). The console's figures
 *  count victims' top-ups from this moment as stolen, so victims' own spending stops here (see generateCustomer). */
export const INCIDENT_OPENED_AT = INCIDENT_START;

// ───────────────────────────── Lookup tables ─────────────────────────────

const FAMILY_TABLE = weightedTable(FAMILY_NAMES.map((n) => [n, n[3]] as const));
const MALE_TABLE = weightedTable(MALE_GIVEN_NAMES.map((n) => [n, n[3]] as const));
const FEMALE_TABLE = weightedTable(FEMALE_GIVEN_NAMES.map((n) => [n, n[3]] as const));
const DOMAIN_TABLE = weightedTable(EMAIL_DOMAINS);
const CARD_TABLE = weightedTable(CARD_BRANDS);
const REGION_TABLE = weightedTable(REGION_WEIGHTS);
const TRAVEL_TABLE = weightedTable(TRAVEL_COUNTRY_WEIGHTS);
const ATTACKER_COUNTRY_TABLE = weightedTable(ATTACKER_COUNTRY_WEIGHTS);
const STORES_BY_REGION = new Map<Region, StoreSpec[]>();
for (const store of STORES) {
  const list = STORES_BY_REGION.get(store.region) ?? [];
  list.push(store);
  STORES_BY_REGION.set(store.region, list);
}
const ORDINARY_CATEGORIES = weightedTable<CategoryCode>([
  ["FOOD", 42],
  ["DRINK", 34],
  ["DAILY_GOODS", 9],
  ["MAGAZINE", 6],
  ["ALCOHOL", 9],
]);
const ATTACK_CATEGORIES = weightedTable<CategoryCode>([
  ["ECIG_CARTRIDGE", 40],
  ["GIFT_CARD", 30],
  ["TOBACCO", 20],
  ["ELECTRONICS", 10],
]);
const ECIG_CARTONS = PRODUCTS.ECIG_CARTRIDGE.filter((p) => p.unitPrice >= 1000);
const ECIG_PACK = PRODUCTS.ECIG_CARTRIDGE.find((p) => p.unitPrice < 1000)!;
const TOP_UP_STEPS = [1000, 2000, 3000, 5000, 10000, 20000, 30000, 50000] as const;
const ATTACK_TOP_UP_STEPS = weightedTable<number>([
  [50000, 3],
  [30000, 2],
  [20000, 2],
  [10000, 2],
]);
const NON_SHINJUKU_ATTACK_STORES = ATTACK_STORE_CODES.filter((code) => code !== SHINJUKU_STORE_CODE);

// Stream identifiers.
const STREAM_PLAN = 1;
const STREAM_CUSTOMER = 2;
const STREAM_ATTACK_ROWS = 3;
const STREAM_SHARED_IPS = 4;

function ipIn(rng: Rng, prefixes: readonly string[]): string {
  return `${rng.pick(prefixes)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function displayIdFor(index: number): string {
  // A bijection on [0, 10^8) (48271 is coprime to 10^8), so display IDs are unique but not guessable in sequence.
  return `W-${String((index * 48271 + 1_234_567) % 100_000_000).padStart(8, "0")}`;
}

function fingerprintFor(rng: Rng, platform: "ios" | "android"): string {
  return platform === "ios" ? rng.uuid().toUpperCase() : rng.hex(8);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ───────────────────────────── The incident plan ─────────────────────────────

interface AttackerDevice {
  fingerprint: string;
  platform: "ios" | "android";
  model: string;
}

interface Ring {
  country: string;
  devices: AttackerDevice[];
  ips: string[];
  stores: string[];
}

interface Basket {
  storeCode: string;
  lines: { product: Product; quantity: number }[];
  total: number;
}

interface VictimPlan {
  firstEventAt: Ms;
  failedAttempts: { at: Ms; ip: string; country: string }[];
  logins: { at: Ms; device: AttackerDevice; ip: string; country: string }[];
  hijack: { at: Ms; newEmailLocal: string; domain: string; ip: string; device: AttackerDevice } | null;
  topUps: { at: Ms; amount: number }[];
  purchases: { at: Ms; basket: Basket }[];
  caseOpenedAt: Ms;
}

interface Plan {
  config: ReplayConfig;
  incident: IncidentRow;
  stores: StoreRow[];
  storesByCode: Map<string, StoreRow>;
  victims: Map<number, VictimPlan>;
  stuffing: Map<number, { at: Ms; ip: string; country: string }[]>;
  sharedJpIps: string[];
  attackerDevices: string[];
  attackerIps: string[];
  clearing: Record<FundingKind, string>;
  /** Where customers' ID prefixes start (drawn per seed, so different seeds do not share IDs). */
  idBase: number;
}

function fillBasket(
  rng: Rng,
  storeCode: string,
  budget: number,
  pool: readonly Product[],
  maxLines: number,
  maxQty: number,
): Basket {
  const lines: Basket["lines"] = [];
  let remaining = budget;
  for (let line = 0; line < maxLines; line++) {
    const affordable = pool.filter((p) => p.unitPrice <= remaining);
    if (affordable.length === 0) break;
    const product = rng.pick(affordable);
    const maxQ = Math.min(maxQty, Math.floor(remaining / product.unitPrice));
    const quantity = line === maxLines - 1 ? maxQ : rng.int(Math.max(1, Math.ceil(maxQ / 2)), maxQ);
    const existing = lines.find((l) => l.product === product);
    if (existing) existing.quantity += quantity;
    else lines.push({ product, quantity });
    remaining -= quantity * product.unitPrice;
  }
  return { storeCode, lines, total: budget - remaining };
}

function attackBasket(rng: Rng, storeCode: string, budget: number): Basket {
  const primary = rng.pickWeighted(ATTACK_CATEGORIES);
  const pool = rng.chance(0.3)
    ? [...PRODUCTS[primary], ...PRODUCTS[rng.pickWeighted(ATTACK_CATEGORIES)]]
    : PRODUCTS[primary];
  return fillBasket(rng, storeCode, budget, pool, 3, 12);
}

/** Cartons first, then single packs, so a store's total lands within one pack price of its budget. */
function shinjukuBasket(rng: Rng, budget: number): Basket {
  const basket = fillBasket(rng, SHINJUKU_STORE_CODE, budget, ECIG_CARTONS, 2, 12);
  const packs = Math.min(30, Math.floor((budget - basket.total) / ECIG_PACK.unitPrice));
  if (packs > 0) {
    basket.lines.push({ product: ECIG_PACK, quantity: packs });
    basket.total += packs * ECIG_PACK.unitPrice;
  }
  return basket;
}

function resolveConfig(options: ReplayOptions): ReplayConfig {
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > 99_999_999) {
    throw new RangeError("customers must be a whole number between 1 and 99,999,999");
  }
  const victims =
    options.victims ?? Math.max(1, Math.min(REAL_VICTIMS, Math.round(customers * VICTIMS_PER_DEFAULT_SCALE)));
  if (!Number.isSafeInteger(victims) || victims < 1 || victims > customers) {
    throw new RangeError("victims must be a whole number between 1 and the number of customers");
  }
  const share = victims / REAL_VICTIMS;
  return {
    customers,
    victims,
    seed: normaliseSeed(options.seed ?? DEFAULT_SEED),
    fraudTopUpTargetYen: Math.max(victims * 10_000, Math.round((REAL_FRAUD_TOP_UP_YEN * share) / 1000) * 1000),
    shinjukuEcigTargetYen: Math.round(REAL_SHINJUKU_ECIG_YEN * share),
  };
}

function attackStart(rng: Rng): Ms {
  // Most takeovers on 2–3 July, a few on the 1st and the early 4th; attackers worked from early morning to late night.
  const day = rng.pickWeighted(
    weightedTable<number>([
      [1, 18],
      [2, 38],
      [3, 36],
      [4, 8],
    ]),
  );
  const hour = day === 4 ? rng.float() * 10 : 5 + rng.float() * 19;
  return jst(2019, 7, day) + Math.floor(hour * HOUR) + rng.int(0, 59_999);
}

function buildPlan(options: ReplayOptions): Plan {
  const config = resolveConfig(options);
  const rng = new Rng(config.seed, STREAM_PLAN, 0);

  const incident: IncidentRow = {
    id: rng.uuid(),
    code: INCIDENT_CODE,
    // Written as the company's staff would open it: in Japanese (the regulator report quotes the summary as it is).
    title: "7pay 不正アクセス事案（2019年7月の再現）",
    summary:
      "海外IPの新しい端末からのリスト型攻撃によるサインイン、一部アカウントでのメールアドレス変更、登録クレジット" +
      "カードからのチャージ、数店舗のコンビニでの転売しやすい商品（電子たばこカートリッジ、ギフトカード）の購入。" +
      "2019年7月1日〜4日（JST）。",
    status: "OPEN",
    openedAt: INCIDENT_OPENED_AT,
  };
  const stores: StoreRow[] = STORES.map((spec) => ({ ...spec, id: rng.uuid(), merchantAccountId: rng.uuid() }));
  const storesByCode = new Map(stores.map((s) => [s.code, s]));

  // Attacker infrastructure: rings share a few devices and IPs across dozens of victims.
  const attackerDevices = new Set<string>();
  const attackerIps = new Set<string>();
  const newAttackerDevice = (): AttackerDevice => {
    const platform = rng.chance(0.8) ? "android" : "ios";
    const device = {
      platform,
      model: rng.pick(ATTACKER_MODELS[platform]),
      fingerprint: fingerprintFor(rng, platform),
    } as const;
    attackerDevices.add(device.fingerprint);
    return { ...device };
  };
  const newAttackerIp = (country: string): string => {
    const ip = ipIn(rng, ATTACKER_IP_PREFIXES[country]!);
    attackerIps.add(ip);
    return ip;
  };
  const rings: Ring[] = Array.from({ length: 6 }, () => {
    const country = rng.pickWeighted(ATTACKER_COUNTRY_TABLE);
    return {
      country,
      devices: Array.from({ length: rng.int(2, 4) }, newAttackerDevice),
      ips: Array.from({ length: rng.int(2, 5) }, () => newAttackerIp(country)),
      stores: rng.chance(0.5)
        ? [rng.pick(NON_SHINJUKU_ATTACK_STORES)]
        : rng.sample(NON_SHINJUKU_ATTACK_STORES.length, 2).map((k) => NON_SHINJUKU_ATTACK_STORES[k]!),
    };
  });
  const ringWeights = weightedTable(rings.map((ring, k) => [ring, 3 + k] as const));

  // Who is hit: a uniform sample of customers. Hijacked email: ~15% of victims.
  const victimIndices = rng.sample(config.customers, config.victims);
  const hijackedCount = Math.round(config.victims * 0.15);
  const hijackedSet = new Set(rng.sample(config.victims, hijackedCount).map((k) => victimIndices[k]!));

  // Fraudulent top-up money per victim: the target split by lognormal weights (≥ ¥10,000 each), in whole ¥1,000s.
  const units = config.fraudTopUpTargetYen / 1000;
  const weights = victimIndices.map(() => Math.min(6, Math.exp(0.7 * rng.normal())));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const spare = units - 10 * config.victims;
  const shares = weights.map((w) => (spare * w) / weightSum);
  const allotted = shares.map((s) => 10 + Math.floor(s));
  let leftover = units - allotted.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((s, k) => [s - Math.floor(s), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let r = 0; leftover > 0; r = (r + 1) % byRemainder.length, leftover--) allotted[byRemainder[r]![1]]! += 1;

  let shinjukuRemaining = config.shinjukuEcigTargetYen;
  const victims = new Map<number, VictimPlan>();
  victimIndices.forEach((index, k) => {
    const oneOff = rng.chance(0.2);
    const ring = oneOff ? null : rng.pickWeighted(ringWeights);
    const country = ring?.country ?? rng.pickWeighted(ATTACKER_COUNTRY_TABLE);
    const device = ring ? rng.pick(ring.devices) : newAttackerDevice();
    const ip = ring ? rng.pick(ring.ips) : newAttackerIp(country);

    // Top-up amounts: round figures up to ¥50,000 a charge, the remainder last.
    let remaining = allotted[k]! * 1000;
    const amounts: number[] = [];
    while (remaining > 0) {
      let step = rng.pickWeighted(ATTACK_TOP_UP_STEPS);
      while (step > remaining && step > 10000) step = step === 50000 ? 30000 : step === 30000 ? 20000 : 10000;
      const amount = Math.min(step, remaining);
      amounts.push(amount);
      remaining -= amount;
    }

    // Timeline, relative to the sign-in: optional email change, then top-up → purchases, repeated.
    const hijacked = hijackedSet.has(index);
    const offsets: { kind: "topup" | "purchase"; offset: number; amount?: number; basket?: Basket }[] = [];
    let t = hijacked ? rng.int(10, 25) * MINUTE : rng.int(3, 20) * MINUTE;
    let available = 0;
    const shinjukuVictim = shinjukuRemaining >= ECIG_CARTONS[2]!.unitPrice && rng.chance(0.35);
    const ringStores = ring?.stores ?? [rng.pick(NON_SHINJUKU_ATTACK_STORES)];
    const stopsEarly = rng.chance(0.1); // blocked or gave up: the last top-up is never spent
    amounts.forEach((amount, j) => {
      if (j > 0) t += rng.int(10, 120) * MINUTE;
      offsets.push({ kind: "topup", offset: t, amount });
      available += amount;
      if (stopsEarly && j === amounts.length - 1) return;
      const purchases = amount >= 20000 ? rng.int(1, 2) : 1;
      for (let p = 0; p < purchases; p++) {
        t += rng.int(5, 60) * MINUTE;
        const budget = p === purchases - 1 ? available : Math.floor(available * (0.4 + 0.3 * rng.float()));
        let basket: Basket;
        if (shinjukuVictim && shinjukuRemaining >= ECIG_PACK.unitPrice) {
          basket = shinjukuBasket(rng, Math.min(budget, shinjukuRemaining));
          shinjukuRemaining -= basket.total;
        } else {
          basket = attackBasket(rng, rng.pick(ringStores), budget);
        }
        if (basket.total === 0) continue;
        available -= basket.total;
        offsets.push({ kind: "purchase", offset: t, basket });
      }
    });
    // Place the sequence inside 1–4 July: compress it if it is longer than the window allows (very rare), then shift
    // it earlier if it would run past the end of the incident window.
    const longest = INCIDENT_END - INCIDENT_START - HOUR;
    const scale = t > longest ? longest / t : 1;
    for (const o of offsets) o.offset = Math.floor(o.offset * scale);
    const duration = Math.floor(t * scale);
    let start = attackStart(rng);
    if (start + duration > INCIDENT_END) start = Math.max(INCIDENT_START + 30 * MINUTE, INCIDENT_END - duration);

    let back = 0;
    const failedAttempts = Array.from({ length: rng.int(0, 3) }, () => {
      back += rng.int(20, 300) * 1000;
      return { at: start - back, ip, country };
    }).reverse();
    const logins = [{ at: start, device, ip, country }];
    if (rng.chance(0.3) && duration > HOUR) {
      const again = ring && rng.chance(0.6) ? rng.pick(ring.devices) : device;
      logins.push({
        at: start + rng.int(30, Math.floor(duration / MINUTE)) * MINUTE,
        device: again,
        ip: ring ? rng.pick(ring.ips) : ip,
        country,
      });
    }
    const plan: VictimPlan = {
      firstEventAt: failedAttempts[0]?.at ?? start,
      failedAttempts,
      logins,
      hijack: hijacked
        ? {
            at: start + Math.floor(rng.int(1, 8) * MINUTE * scale),
            newEmailLocal: `${rng.pick(["mail", "shop", "pay", "user", "x"])}${rng.hex(4)}`,
            domain: rng.pick(ATTACKER_EMAIL_DOMAINS),
            ip,
            device,
          }
        : null,
      topUps: offsets.filter((o) => o.kind === "topup").map((o) => ({ at: start + o.offset, amount: o.amount! })),
      purchases: offsets.filter((o) => o.kind === "purchase").map((o) => ({ at: start + o.offset, basket: o.basket! })),
      caseOpenedAt: start + duration + 2 * HOUR,
    };
    victims.set(index, plan);
  });

  // Credential stuffing that failed: twice as many other customers see a few failed sign-ins from the rings' IPs.
  const stuffing = new Map<number, { at: Ms; ip: string; country: string }[]>();
  const victimSet = new Set(victimIndices);
  const candidates = rng
    .sample(config.customers, Math.min(config.customers, 3 * config.victims))
    .filter((i) => !victimSet.has(i));
  for (const index of candidates.slice(0, 2 * config.victims)) {
    const ring = rng.pick(rings);
    const at = INCIDENT_START + 5 * HOUR + Math.floor(rng.float() * (INCIDENT_END - INCIDENT_START - 5 * HOUR));
    stuffing.set(
      index,
      Array.from({ length: rng.int(1, 3) }, (_, n) => ({
        at: at + n * rng.int(5, 90) * 1000,
        ip: rng.pick(ring.ips),
        country: ring.country,
      })),
    );
  }

  // Carrier-grade NAT: many ordinary customers share a few mobile IPs (noise for the "shared IP" signal).
  const shared = new Rng(config.seed, STREAM_SHARED_IPS, 0);
  const sharedJpIps = Array.from({ length: Math.max(20, Math.ceil(config.customers / 40)) }, () =>
    ipIn(shared, JP_IP_PREFIXES),
  );

  // Leave room below 2^32 for up to 10^8 customers' prefixes.
  const idBase = rng.int(0, 0xffffffff - 100_000_000);
  const placeholder = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  return {
    config,
    incident,
    stores,
    storesByCode,
    victims,
    stuffing,
    sharedJpIps,
    idBase,
    attackerDevices: [...attackerDevices],
    attackerIps: [...attackerIps],
    clearing: {
      CREDIT_CARD: options.clearingAccountIds?.CREDIT_CARD ?? placeholder(1),
      BANK: options.clearingAccountIds?.BANK ?? placeholder(2),
      CONVENIENCE_CASH: options.clearingAccountIds?.CONVENIENCE_CASH ?? placeholder(3),
    },
  };
}

// ───────────────────────────── Customers ─────────────────────────────

function newChunk(fromIndex: number, toIndex: number): ReplayChunk {
  const batch = (name: ReplayTableName) => new RowBatch<never>(REPLAY_TABLES[name].columns.length);
  return {
    fromIndex,
    toIndex,
    customer: batch("customer"),
    device: batch("device"),
    funding_source: batch("funding_source"),
    ledger_account: batch("ledger_account"),
    login_event: batch("login_event"),
    contact_change: batch("contact_change"),
    ledger_transaction: batch("ledger_transaction"),
    ledger_entry_in: batch("ledger_entry_in"),
    ledger_entry_out: batch("ledger_entry_out"),
    purchase: batch("purchase"),
    purchase_item: batch("purchase_item"),
    incident_case: batch("incident_case"),
  } as unknown as ReplayChunk;
}

interface Truth {
  victims: GroundTruth["victims"];
  fraudulentTopUps: GroundTruth["fraudulentTopUps"];
  fraudulentPurchases: GroundTruth["fraudulentPurchases"];
  emailHijacked: string[];
  byStore: Map<string, { purchases: number; yen: number; ecigYen: number }>;
}

function emailLocalPart(rng: Rng, family: string, given: string, birth: Date): string {
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, "0");
  const mmdd = String(birth.getUTCMonth() + 1).padStart(2, "0") + String(birth.getUTCDate()).padStart(2, "0");
  switch (rng.int(0, 4)) {
    case 0:
      return `${given}.${family}${rng.chance(0.6) ? yy : rng.int(1, 999)}`;
    case 1:
      return `${family}.${given}${rng.int(10, 99)}`;
    case 2:
      return `${given}${family[0]}${mmdd}${rng.int(0, 9)}`;
    case 3:
      return `${given}_${family}_${rng.int(100, 9999)}`;
    default:
      return `${family}${given[0]}${yy}${rng.int(0, 99)}`;
  }
}

function ordinaryBasket(rng: Rng, storeCode: string, adult: boolean, smoker: boolean): Basket {
  const lines: Basket["lines"] = [];
  const count = Math.min(5, 1 + rng.poisson(1.1));
  for (let n = 0; n < count; n++) {
    let category = rng.pickWeighted(ORDINARY_CATEGORIES);
    if (category === "ALCOHOL" && !adult) category = "DRINK";
    const product = rng.pick(PRODUCTS[category]);
    const existing = lines.find((l) => l.product === product);
    const quantity = category === "FOOD" || category === "DRINK" ? rng.int(1, 3) : 1;
    if (existing) existing.quantity += quantity;
    else lines.push({ product, quantity });
  }
  // Realistic noise: smokers buy cigarettes and cartridges; a few people buy a gift card or a cable.
  if (smoker && rng.chance(0.5)) {
    const pool = rng.chance(0.5) ? PRODUCTS.ECIG_CARTRIDGE : PRODUCTS.TOBACCO;
    const product = rng.chance(0.12) ? pool[rng.int(0, 1)]! : rng.pick(pool.filter((p) => p.unitPrice < 1000));
    lines.push({ product, quantity: product.unitPrice < 1000 ? rng.int(1, 2) : 1 });
  }
  if (rng.chance(0.012)) lines.push({ product: rng.pick(PRODUCTS.GIFT_CARD), quantity: 1 });
  if (rng.chance(0.008)) lines.push({ product: rng.pick(PRODUCTS.ELECTRONICS.slice(2)), quantity: 1 });
  return { storeCode, lines, total: lines.reduce((sum, l) => sum + l.quantity * l.product.unitPrice, 0) };
}

function generateCustomer(plan: Plan, index: number, out: ReplayChunk, truth: Truth): void {
  const rng = new Rng(plan.config.seed, STREAM_CUSTOMER, index);
  const victim = plan.victims.get(index);
  // Every row of this customer shares a 32-bit ID prefix that grows with the index (see Rng.uuid).
  const idPrefix = (plan.idBase + index) >>> 0;

  const id = rng.uuid(idPrefix);
  const displayId = displayIdFor(index);
  const female = rng.chance(0.5);
  const family = rng.pickWeighted(FAMILY_TABLE);
  const given = rng.pickWeighted(female ? FEMALE_TABLE : MALE_TABLE);
  const age = Math.max(18, Math.min(82, Math.round(39 + 13 * rng.normal())));
  const birth = new Date(Date.UTC(2019 - age, 0, 1) - rng.int(0, 364) * DAY);
  const createdAt = JOINED_FROM + Math.floor(rng.float() * (JOINED_UNTIL - JOINED_FROM));
  const email = `${emailLocalPart(rng, family[2], given[2], birth)}@${rng.pickWeighted(DOMAIN_TABLE)}`.toLowerCase();
  const phone = `+81${rng.pick(MOBILE_PREFIXES)}${String(rng.int(0, 99_999_999)).padStart(8, "0")}`;
  const language = rng.chance(0.01) ? "en" : "ja";
  const region = rng.pickWeighted(REGION_TABLE);
  const regionStores = STORES_BY_REGION.get(region)!;
  const homeStores = [rng.pick(regionStores), rng.pick(regionStores)];
  const smoker = rng.chance(0.18);

  // Devices: one phone; some upgrade during the window (a new device that is not an attack).
  const platform: "ios" | "android" = rng.chance(0.55) ? "ios" : "android";
  const phoneDevice: {
    id: string;
    fingerprint: string;
    platform: "ios" | "android";
    model: string;
    firstSeenAt: number;
  } = {
    id: rng.uuid(idPrefix),
    fingerprint: fingerprintFor(rng, platform),
    platform,
    model: rng.pick(platform === "ios" ? IOS_MODELS : ANDROID_MODELS),
    firstSeenAt: createdAt,
  };
  out.device.push(
    phoneDevice.id,
    id,
    phoneDevice.fingerprint,
    phoneDevice.platform,
    phoneDevice.model,
    phoneDevice.firstSeenAt,
  );
  let upgrade: typeof phoneDevice | null = null;
  if (rng.chance(0.06)) {
    const newPlatform: "ios" | "android" = rng.chance(0.85) ? platform : platform === "ios" ? "android" : "ios";
    const next = {
      id: rng.uuid(idPrefix),
      fingerprint: fingerprintFor(rng, newPlatform),
      platform: newPlatform,
      model: rng.pick(UPGRADE_MODELS[newPlatform]),
      firstSeenAt: ACTIVITY_START + Math.floor(rng.float() * (ACTIVITY_END - ACTIVITY_START - DAY)),
    };
    out.device.push(next.id, id, next.fingerprint, next.platform, next.model, next.firstSeenAt);
    upgrade = next;
  }

  // Funding sources. Victims always have a linked credit card (that is what was charged).
  const funding: { id: string; kind: FundingKind }[] = [];
  const addFunding = (kind: FundingKind) => {
    const fundingId = rng.uuid(idPrefix);
    const addedAt = createdAt + rng.int(0, 3 * DAY);
    if (kind === "CREDIT_CARD") {
      out.funding_source.push(
        fundingId,
        id,
        kind,
        rng.pickWeighted(CARD_TABLE),
        String(rng.int(0, 9999)).padStart(4, "0"),
        addedAt,
      );
    } else if (kind === "BANK") {
      out.funding_source.push(fundingId, id, kind, rng.pick(BANKS), String(rng.int(0, 9999)).padStart(4, "0"), addedAt);
    } else {
      out.funding_source.push(fundingId, id, kind, CASH_CHANNEL_BRAND, null, addedAt);
    }
    funding.push({ id: fundingId, kind });
  };
  if (rng.chance(0.62) || victim) addFunding("CREDIT_CARD");
  if (rng.chance(0.3)) addFunding("BANK");
  if (rng.chance(0.28) || funding.length === 0) addFunding("CONVENIENCE_CASH");

  const walletId = rng.uuid(idPrefix);

  // Sign-ins: mostly from home / mobile carrier IPs in Japan; a few travellers sign in from abroad.
  const homeIp = ipIn(rng, JP_IP_PREFIXES);
  const trip = rng.chance(0.025)
    ? (() => {
        const country = rng.pickWeighted(TRAVEL_TABLE);
        const start = ACTIVITY_START + Math.floor(rng.float() * (ACTIVITY_END - ACTIVITY_START - 3 * DAY));
        return {
          country,
          start,
          end: start + rng.int(3, 8) * DAY,
          ips: [ipIn(rng, TRAVEL_IP_PREFIXES[country]!), ipIn(rng, TRAVEL_IP_PREFIXES[country]!)],
        };
      })()
    : null;
  const loginTimes: number[] = [];
  const loginCount = 1 + rng.poisson(3.4) + (trip ? 2 : 0);
  for (let n = 0; n < loginCount; n++)
    loginTimes.push(ACTIVITY_START + Math.floor(rng.float() * (ACTIVITY_END - ACTIVITY_START)));
  if (trip) loginTimes.push(trip.start + rng.int(2, 30) * HOUR);
  if (upgrade) loginTimes.push(upgrade.firstSeenAt);
  loginTimes.sort((a, b) => a - b);
  let upgradeSeen = false;
  for (const at of loginTimes) {
    const useUpgrade = upgrade !== null && at >= upgrade.firstSeenAt;
    const device = useUpgrade ? upgrade! : phoneDevice;
    const newDevice = useUpgrade && !upgradeSeen;
    if (useUpgrade) upgradeSeen = true;
    let ip: string;
    let country = "JP";
    if (trip && at >= trip.start && at < trip.end) {
      ip = rng.pick(trip.ips);
      country = trip.country;
    } else {
      const r = rng.float();
      ip = r < 0.5 ? homeIp : r < 0.78 ? rng.pick(plan.sharedJpIps) : ipIn(rng, JP_IP_PREFIXES);
    }
    if (rng.chance(0.03))
      out.login_event.push(rng.uuid(idPrefix), id, device.id, ip, country, false, false, at - rng.int(10, 120) * 1000);
    out.login_event.push(rng.uuid(idPrefix), id, device.id, ip, country, true, newDevice, at);
  }

  // Money: top-ups and purchases, simulated in time order so the wallet never goes below zero. A victim's own money
  // movements stop when the incident begins, so every victim top-up inside the incident window is the attacker's.
  const cutoff = victim ? Math.min(victim.firstEventAt, INCIDENT_START) : Number.POSITIVE_INFINITY;
  type MoneyEvent = { at: number; topUp?: number; basket?: Basket };
  const events: MoneyEvent[] = [];
  if (rng.chance(0.7)) {
    const at = Math.max(createdAt + HOUR, ACTIVITY_START - rng.int(1, 20) * DAY);
    if (at < ACTIVITY_START) events.push({ at, topUp: rng.pick([3000, 5000, 10000, 10000, 20000]) });
  }
  const extraTopUps = rng.poisson(0.5);
  for (let n = 0; n < extraTopUps; n++) {
    events.push({
      at: ACTIVITY_START + Math.floor(rng.float() * (ACTIVITY_END - ACTIVITY_START)),
      topUp: rng.pick([1000, 3000, 5000, 10000]),
    });
  }
  const purchaseCount = rng.poisson(3.8);
  for (let n = 0; n < purchaseCount; n++) {
    const storeCode = rng.chance(0.85) ? rng.pick(homeStores).code : rng.pick(STORES).code;
    events.push({
      at: ACTIVITY_START + Math.floor(rng.float() * (ACTIVITY_END - ACTIVITY_START)),
      basket: ordinaryBasket(rng, storeCode, age >= 20, smoker),
    });
  }
  events.sort((a, b) => a.at - b.at);
  let balance = 0;
  let previousAt = createdAt;
  const pickFunding = () => rng.pick(funding);
  const topUp = (at: number, amount: number) => {
    const source = pickFunding();
    const txId = rng.uuid(idPrefix);
    out.ledger_transaction.push(txId, "TOP_UP", id, amount, source.id, source.kind, at, at);
    out.ledger_entry_in.push(txId, plan.clearing[source.kind], -amount);
    out.ledger_entry_in.push(txId, walletId, amount);
    balance += amount;
  };
  const purchase = (at: number, basket: Basket): string => {
    const store = plan.storesByCode.get(basket.storeCode)!;
    const txId = rng.uuid(idPrefix);
    const purchaseId = rng.uuid(idPrefix);
    out.ledger_transaction.push(txId, "PURCHASE", id, basket.total, null, null, at, at);
    out.ledger_entry_out.push(txId, walletId, -basket.total);
    out.ledger_entry_out.push(txId, store.merchantAccountId, basket.total);
    out.purchase.push(purchaseId, txId, id, store.id, basket.total, at);
    for (const line of basket.lines) {
      out.purchase_item.push(
        rng.uuid(idPrefix),
        purchaseId,
        line.product.category,
        line.product.description,
        line.quantity,
        line.product.unitPrice,
      );
    }
    balance -= basket.total;
    return txId;
  };
  for (const event of events) {
    if (event.at >= cutoff) break;
    if (event.topUp) {
      topUp(event.at, event.topUp);
    } else if (event.basket && event.basket.total > 0) {
      if (balance < event.basket.total) {
        const need = event.basket.total - balance;
        const steps = TOP_UP_STEPS.filter((s) => s >= need);
        const amount = steps.length > 0 ? rng.pick(steps.slice(0, 3)) : Math.ceil(need / 1000) * 1000;
        const at = Math.max(previousAt + 1000, event.at - rng.int(1, 30) * MINUTE);
        topUp(Math.min(at, event.at - 1), amount);
      }
      purchase(event.at, event.basket);
    }
    previousAt = event.at;
  }

  // The attack on this customer, if any. Row IDs come from a separate stream so the plan stays readable.
  let currentEmail = email;
  if (victim) {
    const arng = new Rng(plan.config.seed, STREAM_ATTACK_ROWS, index);
    const deviceIds = new Map<string, string>();
    const deviceFor = (device: AttackerDevice, at: number): { id: string; isNew: boolean } => {
      const existing = deviceIds.get(device.fingerprint);
      if (existing) return { id: existing, isNew: false };
      const deviceId = arng.uuid(idPrefix);
      deviceIds.set(device.fingerprint, deviceId);
      out.device.push(deviceId, id, device.fingerprint, device.platform, device.model, at);
      return { id: deviceId, isNew: true };
    };
    for (const attempt of victim.failedAttempts) {
      out.login_event.push(arng.uuid(idPrefix), id, null, attempt.ip, attempt.country, false, true, attempt.at);
    }
    for (const login of victim.logins) {
      const device = deviceFor(login.device, login.at);
      out.login_event.push(arng.uuid(idPrefix), id, device.id, login.ip, login.country, true, device.isNew, login.at);
    }
    if (victim.hijack) {
      const newEmail = `${victim.hijack.newEmailLocal}@${victim.hijack.domain}`;
      const device = deviceFor(victim.hijack.device, victim.hijack.at);
      out.contact_change.push(
        arng.uuid(idPrefix),
        id,
        "EMAIL",
        email,
        newEmail,
        victim.hijack.at,
        "APP",
        victim.hijack.ip,
        device.id,
        true,
      );
      currentEmail = newEmail;
      truth.emailHijacked.push(id);
    }
    const card = funding.find((f) => f.kind === "CREDIT_CARD")!;
    for (const top of victim.topUps) {
      const txId = arng.uuid(idPrefix);
      out.ledger_transaction.push(txId, "TOP_UP", id, top.amount, card.id, "CREDIT_CARD", top.at, top.at);
      out.ledger_entry_in.push(txId, plan.clearing.CREDIT_CARD, -top.amount);
      out.ledger_entry_in.push(txId, walletId, top.amount);
      balance += top.amount;
      truth.fraudulentTopUps.push({ transactionId: txId, customerId: id, amount: top.amount });
    }
    for (const p of victim.purchases) {
      const store = plan.storesByCode.get(p.basket.storeCode)!;
      const txId = arng.uuid(idPrefix);
      const purchaseId = arng.uuid(idPrefix);
      out.ledger_transaction.push(txId, "PURCHASE", id, p.basket.total, null, null, p.at, p.at);
      out.ledger_entry_out.push(txId, walletId, -p.basket.total);
      balance -= p.basket.total;
      out.ledger_entry_out.push(txId, store.merchantAccountId, p.basket.total);
      out.purchase.push(purchaseId, txId, id, store.id, p.basket.total, p.at);
      let ecig = 0;
      for (const line of p.basket.lines) {
        out.purchase_item.push(
          arng.uuid(idPrefix),
          purchaseId,
          line.product.category,
          line.product.description,
          line.quantity,
          line.product.unitPrice,
        );
        if (line.product.category === "ECIG_CARTRIDGE") ecig += line.quantity * line.product.unitPrice;
      }
      truth.fraudulentPurchases.push({
        transactionId: txId,
        customerId: id,
        storeCode: store.code,
        amount: p.basket.total,
      });
      const stat = truth.byStore.get(store.code) ?? { purchases: 0, yen: 0, ecigYen: 0 };
      stat.purchases += 1;
      stat.yen += p.basket.total;
      stat.ecigYen += ecig;
      truth.byStore.set(store.code, stat);
    }
    out.incident_case.push(arng.uuid(idPrefix), plan.incident.id, id, "OPEN", victim.caseOpenedAt);
    truth.victims.push({ customerId: id, displayId });
  }

  out.ledger_account.push(walletId, `wallet:${id}`, "CUSTOMER_WALLET", id, createdAt, balance);

  // Failed credential stuffing against this (uncompromised) customer.
  const attempts = plan.stuffing.get(index);
  if (attempts) {
    const srng = new Rng(plan.config.seed, STREAM_ATTACK_ROWS, index);
    for (const attempt of attempts)
      out.login_event.push(srng.uuid(idPrefix), id, null, attempt.ip, attempt.country, false, true, attempt.at);
  }

  out.customer.push(
    id,
    displayId,
    `${family[0]} ${given[0]}`,
    `${family[1]} ${given[1]}`,
    currentEmail,
    phone,
    isoDate(birth.getTime()),
    language,
    createdAt,
  );
}

// ───────────────────────────── Public API ─────────────────────────────

export interface Replay {
  config: ReplayConfig;
  incident: IncidentRow;
  stores: StoreRow[];
  /** The clearing accounts top-ups are posted against (the database's, or placeholders in memory). */
  clearingAccountIds: Record<FundingKind, string>;
  /** Generates customers [0, customers) in chunks. Iterate once; afterwards `groundTruth()` is complete. */
  chunks(chunkSize?: number): Generator<ReplayChunk>;
  /** Available once every chunk has been generated. */
  groundTruth(): GroundTruth;
}

export function createReplay(options: ReplayOptions = {}): Replay {
  const plan = buildPlan(options);
  const truth: Truth = {
    victims: [],
    fraudulentTopUps: [],
    fraudulentPurchases: [],
    emailHijacked: [],
    byStore: new Map(),
  };
  let generatedUpTo = 0;
  let consumed = false;
  return {
    config: plan.config,
    incident: plan.incident,
    stores: plan.stores,
    clearingAccountIds: plan.clearing,
    *chunks(chunkSize = 2000) {
      if (consumed) throw new Error("a Replay's chunks can be generated only once; create a new Replay");
      consumed = true;
      for (let from = 0; from < plan.config.customers; from += chunkSize) {
        const to = Math.min(plan.config.customers, from + chunkSize);
        const chunk = newChunk(from, to);
        for (let i = from; i < to; i++) generateCustomer(plan, i, chunk, truth);
        generatedUpTo = to;
        yield chunk;
      }
    },
    groundTruth() {
      if (generatedUpTo < plan.config.customers) throw new Error("ground truth is complete only after every chunk");
      const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
      return {
        generator: GENERATOR_VERSION,
        seed: plan.config.seed,
        customers: plan.config.customers,
        incidentId: plan.incident.id,
        incidentCode: plan.incident.code,
        window: { start: new Date(INCIDENT_START).toISOString(), end: new Date(INCIDENT_END).toISOString() },
        victims: truth.victims,
        fraudulentTopUps: truth.fraudulentTopUps,
        fraudulentPurchases: truth.fraudulentPurchases,
        totals: {
          fraudulentTopUpYen: sum(truth.fraudulentTopUps),
          fraudulentPurchaseYen: sum(truth.fraudulentPurchases),
          victims: truth.victims.length,
          shinjukuEcigYen: truth.byStore.get(SHINJUKU_STORE_CODE)?.ecigYen ?? 0,
          emailHijacked: truth.emailHijacked.length,
        },
        fraudByStore: [...truth.byStore.entries()]
          .map(([storeCode, s]) => ({ storeCode, ...s }))
          .sort((a, b) => b.yen - a.yen || a.storeCode.localeCompare(b.storeCode)),
        attackerDevices: plan.attackerDevices,
        attackerIps: plan.attackerIps,
        emailHijacked: truth.emailHijacked,
      };
    },
  };
}

/**
 * Generates the whole replay in memory and returns a SHA-256 per table over every row, plus the ground truth.
 * Per-table digests do not depend on the chunk size. For determinism tests and for comparing runs without a database.
 */
export function digestReplay(
  options: ReplayOptions = {},
  chunkSize = 2000,
): { tables: Record<string, string>; rows: Record<string, number>; groundTruth: GroundTruth } {
  const replay = createReplay(options);
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  const rows: Record<string, number> = {};
  for (const chunk of replay.chunks(chunkSize)) {
    for (const name of Object.keys(REPLAY_TABLES) as ReplayTableName[]) {
      const batch = chunk[name] as RowBatch<unknown[]>;
      const hash = hashes.get(name) ?? createHash("sha256");
      hashes.set(name, hash);
      for (let r = 0; r < batch.rows; r++) hash.update(JSON.stringify(batch.columns.map((c) => c[r])) + "\n");
      rows[name] = (rows[name] ?? 0) + batch.rows;
    }
  }
  const tables: Record<string, string> = {};
  for (const [name, hash] of hashes) tables[name] = hash.digest("hex");
  return { tables, rows, groundTruth: replay.groundTruth() };
}
