// Other account-takeover waves than 7pay's, made by reshaping the replay's attack events (ordinary traffic is left
// alone). They exist so the detectors are judged on more than the one wave they were designed from.
import type { DetectEvent } from "~/detect/events";
import { jst } from "./generator";
import type { ReplayEvents } from "./replay-events";
import { Rng } from "./rng";

export const WAVE_VARIANTS = [
  "7pay",
  "other-countries",
  "residential-jp",
  "one-device-per-victim",
  "slow-drip",
  "cash-top-ups",
  "quiet",
] as const;
export type WaveVariant = (typeof WAVE_VARIANTS)[number];

export const WAVE_DESCRIPTIONS: Record<WaveVariant, string> = {
  "7pay": "The July 2019 wave as recorded: rings of shared devices and foreign IPs, card top-ups, resellable goods",
  "other-countries": "The same wave from countries the 7pay rings never used (BR, RU, NG)",
  "residential-jp": "Sign-ins from Japanese residential IPs, a different one per victim",
  "one-device-per-victim": "No shared devices: every victim is signed into from a device of its own",
  "slow-drip": "The same victims spread over four weeks (1 June – 4 July) instead of four days",
  "cash-top-ups": "The attacker tops up with cash at store registers instead of the victims' cards",
  quiet: "Residential JP IPs, one device per victim, slow drip and cash top-ups at once",
};

const VARIANT_STREAM = 7;
const RESIDENTIAL_PREFIXES = ["60.64", "61.112", "110.3", "114.160", "118.8", "153.150", "180.12", "219.104"];
const OTHER_COUNTRIES = ["BR", "RU", "NG"];
const DRIP_FROM = jst(2019, 6, 1);
const DRIP_UNTIL = jst(2019, 7, 4);

type Reshape = (event: DetectEvent, rng: Rng, offsets: Map<string, number>) => DetectEvent;

const reshapers: Record<Exclude<WaveVariant, "7pay" | "quiet">, Reshape> = {
  "other-countries": (e, rng) => (e.kind === "signin" ? { ...e, country: rng.pick(OTHER_COUNTRIES) } : e),
  "residential-jp": (e, rng) =>
    e.kind === "signin"
      ? { ...e, country: "JP", ip: `${rng.pick(RESIDENTIAL_PREFIXES)}.${rng.int(0, 255)}.${rng.int(1, 254)}` }
      : e,
  "one-device-per-victim": (e) =>
    e.kind === "signin" && e.fingerprint ? { ...e, fingerprint: `victim-device:${e.customerId}` } : e,
  "slow-drip": (e, rng, offsets) => {
    // One shift per victim, so each takeover keeps its own order and pacing; victims land anywhere in the range.
    let offset = offsets.get(e.customerId);
    if (offset === undefined) {
      offset = DRIP_FROM + Math.floor(rng.float() * (DRIP_UNTIL - DRIP_FROM)) - e.at;
      offsets.set(e.customerId, offset);
    }
    return { ...e, at: e.at + offset };
  },
  "cash-top-ups": (e) => (e.kind === "topup" ? { ...e, channel: "CONVENIENCE_CASH" } : e),
};

const QUIET: (keyof typeof reshapers)[] = ["residential-jp", "one-device-per-victim", "slow-drip", "cash-top-ups"];

/** The replay with its attack reshaped as the variant says; deterministic for a given seed. */
export function reshapeWave(input: ReplayEvents, variant: WaveVariant, seed = 1): ReplayEvents {
  if (variant === "7pay") return input;
  const steps = variant === "quiet" ? QUIET : [variant];
  const rng = new Rng(seed, VARIANT_STREAM, 0);
  const attack = new Set<DetectEvent>();
  const fraudTopUps = new Set<DetectEvent>();
  const offsets = new Map<string, number>();
  const events = input.events.map((event) => {
    if (!input.attack.has(event)) return event;
    let reshaped = event;
    for (const step of steps) reshaped = reshapers[step](reshaped, rng, offsets);
    attack.add(reshaped);
    if (input.fraudTopUps.has(event)) fraudTopUps.add(reshaped);
    return reshaped;
  });
  events.sort((a, b) => a.at - b.at);
  return { ...input, events, attack, fraudTopUps };
}
