// The wallet events the detectors read, normalised. The live worker builds them from the event tables, the replay
// builds them from the generator's rows: past this point both run exactly the same code.

export type FundingChannel = "CREDIT_CARD" | "BANK" | "CONVENIENCE_CASH";

export interface SignInEvent {
  kind: "signin";
  at: number; // epoch ms, UTC
  customerId: string;
  /** The identifier the app reports (device.fingerprint); null when the attempt never got as far as a device. */
  fingerprint: string | null;
  ip: string;
  country: string;
  success: boolean;
  newDevice: boolean;
}

export interface ContactChangeEvent {
  kind: "contact";
  at: number;
  customerId: string;
  field: "EMAIL" | "PHONE";
}

export interface TopUpEvent {
  kind: "topup";
  at: number;
  customerId: string;
  amount: number;
  channel: FundingChannel | null;
}

export interface PurchaseEvent {
  kind: "purchase";
  at: number;
  customerId: string;
  storeCode: string;
  total: number;
  /** Yen of the basket in resellable categories (product_category.resellable). */
  resellableYen: number;
}

export type DetectEvent = SignInEvent | ContactChangeEvent | TopUpEvent | PurchaseEvent;

export const MINUTE_MS = 60_000;

/** The minute an instant belongs to, as epoch ms of its start. */
export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}
