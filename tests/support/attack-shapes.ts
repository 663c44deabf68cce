// Attacks shaped differently from the 7pay replay, laid over the replay's ordinary traffic (its own attack removed),
// and a busy day with no attack. Deterministic for a seed: the same events every run, so a detection time is a fact.
import type { DetectEvent, SignInEvent } from "~/detect/events";
import { MINUTE_MS } from "~/detect/events";
import { INCIDENT_START, jst } from "~/incidents/replay/generator";
import type { ReplayEvents } from "~/incidents/replay/replay-events";
import { Rng } from "~/incidents/replay/rng";

/** Thursday 20 June 2019, 14:00 JST: three weeks of ordinary history behind it, a weekday afternoon. */
export const ATTACK_START = jst(2019, 6, 20, 14, 0);
/** The same Thursday at 23:50 JST (14:50 UTC): the attack crosses the JST midnight, not the UTC one. */
export const LATE_ATTACK_START = jst(2019, 6, 20, 23, 50);
const HOUR_MS = 60 * MINUTE_MS;
const WEEK_MS = 7 * 24 * HOUR_MS;
const RESIDENTIAL = ["60.64", "61.112", "110.3", "114.160", "118.8", "153.150", "180.12", "219.104"];

export interface Scenario {
  events: DetectEvent[];
  attack: Set<DetectEvent>;
  fraudTopUps: Set<DetectEvent>;
  /** The attack's first event (for a false-alarm check, the busy day's start). */
  startedAt: number;
}

/** Recorded traffic and the attacker's part of it (removed before an attack or a busy day is laid over it). */
type Ordinary = Pick<ReplayEvents, "events" | "attack">;

type Attack = (victims: string[], rng: Rng, startedAt: number) => DetectEvent[];

function residentialIp(rng: Rng, n: number): string {
  // One address per attempt, never repeated within a scenario: n walks a range no ordinary customer uses.
  return `${rng.pick(RESIDENTIAL)}.${200 + Math.floor(n / 250)}.${(n % 250) + 1}`;
}

/** Three or four sign-ins a minute for three hours, each from a fresh Japanese residential address (a proxy pool),
 *  against accounts from a leaked list: two in five succeed, far more than a wrong guess would. */
export const slowStuffing: Attack = (victims, rng, startedAt) => {
  const out: DetectEvent[] = [];
  let n = 0;
  for (let minute = 0; minute < 180; minute++) {
    const attempts = 3 + (minute % 2);
    for (let k = 0; k < attempts; k++) {
      const success = rng.float() < 0.4;
      out.push({
        kind: "signin",
        at: startedAt + minute * MINUTE_MS + rng.int(0, 59_000),
        customerId: victims[n % victims.length]!,
        fingerprint: `stuffing-device-${n}`,
        ip: residentialIp(rng, n),
        country: "JP",
        success,
        newDevice: success,
      });
      n += 1;
    }
  }
  return out;
};

/** Take the account over (a new-device sign-in, then the e-mail or phone changed) and come back four hours later to
 *  top up from the victim's card: the wave of takeovers is over long before any money moves. */
export const takeoverThenDormancy: Attack = (victims, rng, startedAt) =>
  victims.slice(0, 30).flatMap((customerId, i): DetectEvent[] => {
    const at = startedAt + i * 2 * MINUTE_MS;
    return [
      {
        kind: "signin",
        at,
        customerId,
        fingerprint: `dormant-device-${i}`,
        ip: residentialIp(rng, i),
        country: "JP",
        success: true,
        newDevice: true,
      },
      { kind: "contact", at: at + 2 * MINUTE_MS, customerId, field: i % 2 === 0 ? "EMAIL" : "PHONE" },
      { kind: "topup", at: at + 4 * HOUR_MS, customerId, amount: 30_000, channel: "CREDIT_CARD" },
    ];
  });

/** Sign in from a fresh device, top up a few thousand yen from the victim's own card and spend it at a different
 *  store each time: nothing per store and no single amount stands out. One victim every two minutes. */
export const spreadCardTopUps: Attack = (victims, rng, startedAt) =>
  victims.slice(0, 60).flatMap((customerId, i): DetectEvent[] => {
    const at = startedAt + i * 2 * MINUTE_MS;
    const amount = 1_000 * rng.int(3, 9);
    return [
      {
        kind: "signin",
        at,
        customerId,
        fingerprint: `spread-device-${i}`,
        ip: residentialIp(rng, i),
        country: "JP",
        success: true,
        newDevice: true,
      },
      { kind: "topup", at: at + 3 * MINUTE_MS, customerId, amount, channel: "CREDIT_CARD" },
      {
        kind: "purchase",
        at: at + 6 * MINUTE_MS,
        customerId,
        storeCode: `S-SPREAD-${i}`,
        total: amount,
        resellableYen: amount,
      },
    ];
  });

/** The replay's traffic without its own attack, with `attack` laid over it from `startedAt`. */
export function withAttack(base: Ordinary, attack: Attack, startedAt: number, seed = 1): Scenario {
  const ordinary = base.events.filter((e) => !base.attack.has(e));
  // Victims: ordinary customers in a fixed order (the first sign-in of each), so the same accounts every run.
  const victims = [...new Set(ordinary.filter((e) => e.kind === "signin").map((e) => e.customerId))];
  const attackEvents = attack(victims, new Rng(seed, 11, 0), startedAt);
  const events = [...ordinary, ...attackEvents].sort((a, b) => a.at - b.at);
  const fraudTopUps = new Set(attackEvents.filter((e) => e.kind === "topup"));
  return { events, attack: new Set(attackEvents), fraudTopUps, startedAt };
}

/** A payday or a campaign: the day starting at `day` (JST midnight) carries `factor` times its ordinary traffic, every
 *  copy a customer of its own with its own devices and addresses; no attack. */
export function busyDay(base: Ordinary, day: number, factor = 3): Scenario {
  const ordinary = base.events.filter((e) => !base.attack.has(e));
  const rng = new Rng(3, 12, 0);
  const copies: DetectEvent[] = [];
  for (const e of ordinary) {
    if (e.at < day || e.at >= day + 24 * HOUR_MS) continue;
    for (let copy = 1; copy < factor; copy++) {
      const at = day + ((e.at - day + rng.int(0, 59) * MINUTE_MS) % (24 * HOUR_MS));
      const customerId = `${e.customerId}~busy${copy}`;
      if (e.kind === "signin")
        copies.push({
          ...e,
          at,
          customerId,
          fingerprint: e.fingerprint && `${e.fingerprint}~busy${copy}`,
          ip: `${e.ip}~busy${copy}`,
        });
      else copies.push({ ...e, at, customerId });
    }
  }
  const events = [...ordinary, ...copies].sort((a, b) => a.at - b.at);
  return { events, attack: new Set(), fraudTopUps: new Set(), startedAt: day };
}

/** The sign-ins of a wallet `factor` times the size, within `[from, until)`: the replay's ordinary sign-ins and
 *  `factor − 1` copies of each successful one, every copy a customer of its own with its own device and address, moved
 *  by a whole number of weeks (up to three either way, so the time of the week is kept) and up to 90 minutes. Each copy
 *  mistypes its password first as often as the replay's customers do, drawn afresh: copying the replay's own failures
 *  would make them arrive in clumps no wallet of independent customers has. Taken from the weeks before the incident
 *  only (its failed stuffing against other customers is not in the replay's attack set). Only sign-ins: what the
 *  failed-sign-in detector reads. */
export function signInsTimes(base: Ordinary, factor: number, from: number, until: number): Ordinary {
  const rng = new Rng(5, 13, 0);
  const sources = base.events.filter(
    (e): e is SignInEvent => e.kind === "signin" && !base.attack.has(e) && e.at < INCIDENT_START,
  );
  const failures = sources.filter((e) => !e.success).length;
  const mistypes = failures / (sources.length - failures);
  const out: DetectEvent[] = sources.filter((e) => e.at >= from && e.at < until);
  for (const e of sources) {
    if (!e.success) continue;
    for (let copy = 1; copy < factor; copy++) {
      const at = e.at + rng.int(-3, 3) * WEEK_MS + rng.int(-90, 90) * MINUTE_MS + rng.int(0, 59_000);
      const mistyped = rng.float() < mistypes;
      if (at < from || at >= until) continue;
      const customer = {
        customerId: `${e.customerId}~x${copy}`,
        fingerprint: e.fingerprint && `${e.fingerprint}~x${copy}`,
        ip: `${e.ip}~x${copy}`,
      };
      if (mistyped) out.push({ ...e, ...customer, at: at - rng.int(10, 120) * 1000, success: false, newDevice: false });
      out.push({ ...e, ...customer, at });
    }
  }
  return { events: out.sort((a, b) => a.at - b.at), attack: new Set() };
}
