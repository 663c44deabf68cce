// The replay's rows as the detectors read them (app/detect/events.ts), with the attack's ground truth, in memory.
// The live worker reads the same fields from the event tables.
import type { DetectEvent } from "~/detect/events";
import type { Replay } from "./generator";
import type { GroundTruth, ReplayOptions } from "./replay-rows";
import { createReplay } from "./generator";

/** The categories seeded as resellable in product_category (reference-data migration). */
export const RESELLABLE_CATEGORIES: ReadonlySet<string> = new Set([
  "ECIG_CARTRIDGE",
  "TOBACCO",
  "GIFT_CARD",
  "ELECTRONICS",
]);

export interface ReplayEvents {
  events: DetectEvent[]; // sorted by time
  truth: GroundTruth;
  /** The attacker's events (ground truth, never shown to the detectors): sign-ins from attacker IPs, contact
   *  changes, fraudulent top-ups and purchases. */
  attack: Set<DetectEvent>;
  fraudTopUps: Set<DetectEvent>;
  replay: Replay;
}

export function generateReplayEvents(options: ReplayOptions = {}): ReplayEvents {
  const replay = createReplay(options);
  const storeCodeById = new Map(replay.stores.map((s) => [s.id, s.code]));
  const events: DetectEvent[] = [];
  const pushByTx = (transactionId: string, event: DetectEvent) => {
    events.push(event);
    eventByTx.set(transactionId, event);
  };
  const eventByTx = new Map<string, DetectEvent>();
  for (const chunk of replay.chunks()) {
    const fingerprintById = new Map<string, string>();
    const d = chunk.device.columns;
    for (let r = 0; r < chunk.device.rows; r++) fingerprintById.set(d[0]![r] as string, d[2]![r] as string);
    const l = chunk.login_event.columns;
    for (let r = 0; r < chunk.login_event.rows; r++) {
      const deviceId = l[2]![r] as string | null;
      events.push({
        kind: "signin",
        customerId: l[1]![r] as string,
        fingerprint: deviceId ? (fingerprintById.get(deviceId) ?? null) : null,
        ip: l[3]![r] as string,
        country: l[4]![r] as string,
        success: l[5]![r] as boolean,
        newDevice: l[6]![r] as boolean,
        at: l[7]![r] as number,
      });
    }
    const c = chunk.contact_change.columns;
    for (let r = 0; r < chunk.contact_change.rows; r++) {
      events.push({
        kind: "contact",
        customerId: c[1]![r] as string,
        field: c[2]![r] as "EMAIL" | "PHONE",
        at: c[5]![r] as number,
      });
    }
    const t = chunk.ledger_transaction.columns;
    for (let r = 0; r < chunk.ledger_transaction.rows; r++) {
      if (t[1]![r] !== "TOP_UP") continue;
      pushByTx(t[0]![r] as string, {
        kind: "topup",
        customerId: t[2]![r] as string,
        amount: t[3]![r] as number,
        channel: t[5]![r] as "CREDIT_CARD" | "BANK" | "CONVENIENCE_CASH" | null,
        at: t[6]![r] as number,
      });
    }
    const resellable = new Map<string, number>();
    const i = chunk.purchase_item.columns;
    for (let r = 0; r < chunk.purchase_item.rows; r++) {
      if (!RESELLABLE_CATEGORIES.has(i[2]![r] as string)) continue;
      const purchaseId = i[1]![r] as string;
      resellable.set(purchaseId, (resellable.get(purchaseId) ?? 0) + (i[4]![r] as number) * (i[5]![r] as number));
    }
    const p = chunk.purchase.columns;
    for (let r = 0; r < chunk.purchase.rows; r++) {
      pushByTx(p[1]![r] as string, {
        kind: "purchase",
        customerId: p[2]![r] as string,
        storeCode: storeCodeById.get(p[3]![r] as string)!,
        total: p[4]![r] as number,
        resellableYen: resellable.get(p[0]![r] as string) ?? 0,
        at: p[5]![r] as number,
      });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const truth = replay.groundTruth();
  const attackerIps = new Set(truth.attackerIps);
  const fraudTopUps = new Set(truth.fraudulentTopUps.map((f) => eventByTx.get(f.transactionId)!));
  const attack = new Set<DetectEvent>([
    ...fraudTopUps,
    ...truth.fraudulentPurchases.map((f) => eventByTx.get(f.transactionId)!),
    ...events.filter((e) => e.kind === "contact" || (e.kind === "signin" && attackerIps.has(e.ip))),
  ]);
  return { events, truth, attack, fraudTopUps, replay };
}
